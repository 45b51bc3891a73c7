// Sending a sticker: folded under the composer so the text box stays in view, one set at a time, a click
// sends it at once (as in LINE itself), one send at a time with the composer's other sends.
import { useState } from 'react';
import { Accordion, Flex, Image, Select, Text } from '@hubspot/ui-extensions';
import type { Translator } from '../i18n/translator.ts';
import { STICKER_SETS, stickerImageUrl } from './sticker-sets.ts';

interface Props {
  accountId: number;
  i18n: Translator;
  sending: boolean;
  onSend(packageId: string, stickerId: string): void;
}

export function StickerPicker({ accountId, i18n, sending, onSend }: Props) {
  const { t } = i18n;
  const [packageId, setPackageId] = useState(STICKER_SETS[0].packageId);
  const set = STICKER_SETS.find((s) => s.packageId === packageId) ?? STICKER_SETS[0];
  return (
    <Accordion title={t.stickers} size="sm" testId="chat-stickers">
      <Flex direction="column" gap="xs">
        <Select
          name={`line-sticker-set-${accountId}`}
          label={t.stickerSet}
          value={set.packageId}
          options={STICKER_SETS.map((s) => ({ label: t[s.name], value: s.packageId }))}
          onChange={(value) => setPackageId(String(value))}
          testId="chat-sticker-set"
        />
        <Text variant="microcopy">{t.stickersHelp}</Text>
        <Flex direction="row" gap="xs" wrap>
          {set.stickerIds.map((stickerId, index) => (
            <Image
              key={stickerId}
              src={stickerImageUrl(stickerId)}
              alt={t.stickerAlt(t[set.name], index + 1)}
              width={56}
              height={56}
              onClick={() => {
                if (!sending) onSend(set.packageId, stickerId);
              }}
              testId={`chat-sticker-${stickerId}`}
            />
          ))}
        </Flex>
      </Flex>
    </Accordion>
  );
}
