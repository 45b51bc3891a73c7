// Pinned above the conversation: what the customer has been waiting on, and since when, so the rep
// answers it first instead of scrolling for it (a panel cannot be scrolled to its end from code).
import { Alert } from '@hubspot/ui-extensions';
import type { ChatMessage } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';

const SUMMARY_LENGTH = 140;

/** One line for a message: its text (shortened), or what kind of message it is. */
function summaryOf(message: ChatMessage, { t }: Translator): string {
  const c = message.content;
  switch (c.kind) {
    case 'text':
      return c.text.length > SUMMARY_LENGTH ? `${c.text.slice(0, SUMMARY_LENGTH)}…` : c.text;
    case 'sticker':
      return t.sticker;
    case 'image':
      return t.image;
    case 'file':
      return c.name ?? t[c.fileType];
    case 'location':
      return c.title ?? t.location;
    case 'alt':
      return c.text;
  }
}

export function WaitingQuestion({ waiting, i18n }: { waiting: ChatMessage[]; i18n: Translator }) {
  const [first] = waiting;
  if (!first) return null;
  const { t } = i18n;
  return (
    <Alert title={t.waitingForReply(i18n.at(first.createdAt), i18n.ago(first.createdAt))} variant="warning" testId="chat-waiting">
      {waiting.length > 1 ? t.waitingQuestionAndMore(summaryOf(first, i18n), waiting.length - 1) : summaryOf(first, i18n)}
    </Alert>
  );
}
