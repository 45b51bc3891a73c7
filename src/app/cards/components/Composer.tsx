// Writing a message: saved texts (定型文) above the box, up to 5,000 characters with a counter, stickers and
// a file to attach below it, one send at a time.
import { useState } from 'react';
import { Alert, Flex, LoadingButton, Text, TextArea } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import type { MessageTemplate } from '../api/types.ts';
import { MAX_TEXT_LENGTH } from '../hooks/useSendMessage.ts';
import type { Translator } from '../i18n/translator.ts';
import { AttachFile, type AttachTo } from './AttachFile.tsx';
import { SavedTexts } from './SavedTexts.tsx';
import { StickerPicker } from './StickerPicker.tsx';

interface Props {
  accountId: number;
  attachTo: AttachTo;
  i18n: Translator;
  templates: MessageTemplate[] | null;
  sending: boolean;
  error: unknown;
  onSend(text: string): Promise<boolean>;
  /** Offers the sticker picker; a chat that has none leaves it out. */
  onSendSticker?(packageId: string, stickerId: string): Promise<boolean>;
  onSendFile(fileId: number): Promise<boolean>;
  onTyping(): void;
}

export function Composer({ accountId, attachTo, i18n, templates, sending, error, onSend, onSendSticker, onSendFile, onTyping }: Props) {
  const { t } = i18n;
  const [text, setText] = useState('');
  const length = text.length;
  const tooLong = length > MAX_TEXT_LENGTH;
  const canSend = text.trim() !== '' && !tooLong && !sending;

  const edit = (value: string) => {
    setText(value);
    if (value.trim() !== '') onTyping();
  };
  /** A saved text goes after what the rep already wrote, on its own line. */
  const insert = (saved: string) => {
    setText((current) => (current.trim() === '' ? saved : `${current}\n${saved}`));
    onTyping();
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
      <SavedTexts accountId={accountId} i18n={i18n} templates={templates} onInsert={insert} />
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
        <LoadingButton variant="primary" loading={sending} disabled={!canSend} onClick={submit} testId="chat-send">
          {sending ? t.sending : t.send}
        </LoadingButton>
      </Flex>
      {onSendSticker ? <StickerPicker accountId={accountId} i18n={i18n} sending={sending} onSend={(packageId, stickerId) => void onSendSticker(packageId, stickerId)} /> : null}
      <AttachFile attachTo={attachTo} i18n={i18n} sending={sending} onSend={onSendFile} />
    </Flex>
  );
}
