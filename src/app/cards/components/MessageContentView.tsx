// The inside of one bubble, by kind of LINE message.
import { Flex, Image, Link, Text } from '@hubspot/ui-extensions';
import type { ChatMessage } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';

export function MessageContentView({ message, i18n }: { message: ChatMessage; i18n: Translator }) {
  const { t } = i18n;
  if (message.status === 'unsent') {
    return (
      <Text format={{ italic: true }} testId={`message-unsent-${message.id}`}>
        {t.unsent}
      </Text>
    );
  }
  const content = message.content;
  switch (content.kind) {
    case 'text':
      return <Text testId={`message-text-${message.id}`}>{content.text}</Text>;
    case 'sticker':
      return <Image src={content.imageUrl} alt={t.sticker} width={96} testId={`message-sticker-${message.id}`} />;
    case 'image':
      if (!content.url) return <Text variant="microcopy">{`${t.image}: ${t.mediaUnavailable}`}</Text>;
      return (
        <Flex direction="column" gap="xs">
          <Image src={content.previewUrl ?? content.url} alt={t.image} width={160} href={{ url: content.url, external: true }} testId={`message-image-${message.id}`} />
          <Link href={{ url: content.url, external: true }}>{t.openImage}</Link>
        </Flex>
      );
    case 'file': {
      const label = content.name ?? t[content.fileType];
      const size = content.size !== null ? ` (${i18n.size(content.size)})` : '';
      if (!content.url) return <Text variant="microcopy">{`${label}${size}: ${t.mediaUnavailable}`}</Text>;
      return (
        <Link href={{ url: content.url, external: true }} testId={`message-file-${message.id}`}>
          {`${label}${size}`}
        </Link>
      );
    }
    case 'location':
      return (
        <Flex direction="column" gap="flush">
          <Text format={{ fontWeight: 'demibold' }}>{content.title ?? t.location}</Text>
          {content.address ? <Text variant="microcopy">{content.address}</Text> : null}
          <Link href={{ url: content.mapUrl, external: true }} testId={`message-location-${message.id}`}>
            {t.openMap}
          </Link>
        </Flex>
      );
    case 'alt':
      return (
        <Text format={{ italic: true }} testId={`message-alt-${message.id}`}>
          {content.text}
        </Text>
      );
  }
}
