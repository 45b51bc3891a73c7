// 定型文: the team's saved texts as one-click buttons above the composer. A click puts the text in the
// composer, where the rep reads and adjusts it before sending; nothing is sent on a click. Only templates
// of one text message are offered: the others (several messages, stickers, flex …) are for workflow steps.
// Past the first few, the rest sit in a menu, so the composer stays in view.
import { Button, Flex, Select, Text } from '@hubspot/ui-extensions';
import type { MessageTemplate } from '../api/types.ts';
import { composerText } from '../hooks/useTemplates.ts';
import type { Translator } from '../i18n/translator.ts';

const BUTTONS_SHOWN = 6;

interface Props {
  accountId: number;
  i18n: Translator;
  templates: MessageTemplate[] | null;
  onInsert(text: string): void;
}

export function SavedTexts({ accountId, i18n, templates, onInsert }: Props) {
  const { t } = i18n;
  if (templates === null) return null;
  const texts = templates.flatMap((tpl) => {
    const text = composerText(tpl);
    return text === null ? [] : [{ id: tpl.id, name: tpl.name, text }];
  });
  if (texts.length === 0) {
    return (
      <Text variant="microcopy" testId="chat-saved-texts-none">
        {t.noSavedTexts}
      </Text>
    );
  }
  const shown = texts.slice(0, BUTTONS_SHOWN);
  const more = texts.slice(BUTTONS_SHOWN);
  return (
    <Flex direction="column" gap="xs" testId="chat-saved-texts">
      <Text variant="microcopy" format={{ fontWeight: 'demibold' }}>
        {t.savedTexts}
      </Text>
      <Flex direction="row" gap="xs" wrap>
        {shown.map((s) => (
          <Button key={s.id} size="xs" variant="secondary" onClick={() => onInsert(s.text)} testId={`chat-saved-text-${s.id}`}>
            {s.name}
          </Button>
        ))}
      </Flex>
      {more.length > 0 ? (
        <Select
          name={`line-saved-texts-${accountId}`}
          label={t.moreSavedTexts}
          placeholder={t.moreSavedTexts}
          options={more.map((s) => ({ label: s.name, value: s.id }))}
          onChange={(id) => {
            const picked = more.find((s) => s.id === Number(id));
            if (picked) onInsert(picked.text);
          }}
          testId="chat-more-saved-texts"
        />
      ) : null}
    </Flex>
  );
}
