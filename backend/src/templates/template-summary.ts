// A template in one line, for pickers that show the name and what the first message says (the workflow
// editor's template options): text as written, tokens included; other messages by their alt text or kind.
import type { MessageTemplate, TemplateMessage } from './repository.ts';

const MAX_SUMMARY = 80;

function messageSummary(message: TemplateMessage): string {
  if (message.type === 'text' && typeof message.text === 'string') return message.text;
  if (typeof message.altText === 'string') return message.altText;
  return `[${message.type}]`;
}

export function firstMessageSummary(template: MessageTemplate): string {
  const text = messageSummary(template.messages[0]).replace(/\s+/g, ' ').trim();
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}
