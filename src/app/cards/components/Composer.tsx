// Writing a message: up to 5,000 characters with a counter, saved templates to insert, one send at a time.
// Templates of one text message fill the composer, where the rep reads and edits them before sending; the
// others are listed "for workflows" and explain why instead of sending several messages on one pick.
import { useState } from 'react';
import { Alert, Flex, LoadingButton, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import type { MessageTemplate } from '../api/types.ts';
import { MAX_TEXT_LENGTH } from '../hooks/useSendMessage.ts';
import { composerText } from '../hooks/useTemplates.ts';
import type { Translator } from '../i18n/translator.ts';

interface Props {
  accountId: number;
  i18n: Translator;
  templates: MessageTemplate[];
  sending: boolean;
  error: unknown;
  onSend(text: string): Promise<boolean>;
  onTyping(): void;
}

export function Composer({ accountId, i18n, templates, sending, error, onSend, onTyping }: Props) {
  const { t } = i18n;
  const [text, setText] = useState('');
  const [workflowOnly, setWorkflowOnly] = useState<string | null>(null);
  const length = text.length;
  const tooLong = length > MAX_TEXT_LENGTH;
  const canSend = text.trim() !== '' && !tooLong && !sending;

  const edit = (value: string) => {
    setText(value);
    if (value.trim() !== '') onTyping();
  };
  const insertTemplate = (id: string | number | boolean) => {
    const template = templates.find((tpl) => tpl.id === Number(id));
    if (!template) return;
    const inserted = composerText(template);
    setWorkflowOnly(inserted === null ? template.name : null);
    if (inserted !== null) setText((current) => (current.trim() === '' ? inserted : `${current}\n${inserted}`));
  };
  const submit = async () => {
    if (!canSend) return;
    if (await onSend(text)) setText('');
  };

  return (
    <Flex direction="column" gap="xs" testId="chat-composer">
      {error ? (
        <Alert title={t.sendErrorTitle} variant="error" testId="chat-send-error">
          {errorText(t, error)}
        </Alert>
      ) : null}
      <TextArea
        name={`line-message-${accountId}`}
        label={t.composerLabel}
        placeholder={t.composerPlaceholder}
        value={text}
        rows={3}
        resize="vertical"
        readOnly={sending}
        onInput={edit}
        onChange={edit}
        error={tooLong}
        validationMessage={tooLong ? t.tooLong(MAX_TEXT_LENGTH) : undefined}
        testId="chat-input"
      />
      {text.includes('{{') ? (
        <Text variant="microcopy" testId="chat-tokens-as-written">
          {t.tokensAsWritten}
        </Text>
      ) : null}
      <Flex direction="row" justify="between" align="center" gap="sm" wrap>
        <Text variant="microcopy" testId="chat-counter">
          {t.counter(length, MAX_TEXT_LENGTH)}
        </Text>
        <LoadingButton variant="primary" size="sm" loading={sending} disabled={!canSend} onClick={submit} testId="chat-send">
          {sending ? t.sending : t.send}
        </LoadingButton>
      </Flex>
      {templates.length > 0 ? (
        <Select
          name={`line-template-${accountId}`}
          label={t.templates}
          placeholder={t.templates}
          options={templates.map((tpl) => ({ label: composerText(tpl) === null ? t.forWorkflows(tpl.name) : tpl.name, value: tpl.id }))}
          onChange={insertTemplate}
          testId="chat-templates"
        />
      ) : null}
      {workflowOnly !== null ? (
        <Text variant="microcopy" testId="chat-template-for-workflows">
          {t.workflowOnlyTemplate(workflowOnly)}
        </Text>
      ) : null}
    </Flex>
  );
}
