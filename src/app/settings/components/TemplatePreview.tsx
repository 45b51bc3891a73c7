// A template's messages as bubbles, in the order LINE delivers them: text (tokens highlighted), stickers as
// the sticker image, and other LINE messages by kind and the text LINE shows for them (alt text, title).
import { Flex, Image, Link, Text, Tile } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { Messages } from '../i18n.ts';
import type { TemplateMessage } from '../types.ts';
import { TokenText } from './TokenText.tsx';

const stickerUrl = (stickerId: string) => `https://stickershop.line-scdn.net/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/sticker.png`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function Bubble({ message, t, testId }: { message: TemplateMessage; t: Messages; testId: string }) {
  if (message.type === 'text') return <TokenText text={str(message.text)} testId={testId} />;
  if (message.type === 'sticker') return <Image src={stickerUrl(str(message.stickerId))} alt={t.templateKinds.sticker} width={96} testId={testId} />;
  const kind = t.templateKinds[message.type] ?? message.type;
  const url = str(message.originalContentUrl) || str(message.baseUrl);
  const shown = str(message.altText) || str(message.title);
  return (
    <Flex direction="column" gap="flush" testId={testId}>
      <Text format={{ fontWeight: 'demibold' }}>{kind}</Text>
      {shown ? <TokenText text={shown} /> : null}
      {url ? <Link href={{ url, external: true }}>{url}</Link> : null}
    </Flex>
  );
}

/** `messages[i]` null: that message is not valid JSON yet, said in its place. */
export function TemplatePreview({ messages, testId }: { messages: Array<TemplateMessage | null>; testId: string }) {
  const { t } = useSettings();
  return (
    <Flex direction="column" gap="xs" testId={testId}>
      {messages.map((message, i) => (
        <Tile key={i} compact>
          {message ? <Bubble message={message} t={t} testId={`${testId}-${i}`} /> : <Text variant="microcopy">{t.templateInvalidJson}</Text>}
        </Tile>
      ))}
    </Flex>
  );
}
