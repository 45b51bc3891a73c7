// A template while it is being edited: a name and 1-5 messages, each typed as plain text or as a LINE
// message object in JSON. Only the JSON syntax is checked here; LINE's rules are the backend's, whose 400
// names the message that breaks one.
import type { MessageTemplate, TemplateMessage } from './types.ts';

export const MAX_TEMPLATE_MESSAGES = 5;

export type DraftKind = 'text' | 'json';

export interface DraftMessage {
  kind: DraftKind;
  value: string;
}

export interface Draft {
  name: string;
  messages: DraftMessage[];
}

export const emptyDraft = (): Draft => ({ name: '', messages: [{ kind: 'text', value: '' }] });

export function draftOf(template: MessageTemplate): Draft {
  return {
    name: template.name,
    messages: template.messages.map((m) =>
      m.type === 'text' && typeof m.text === 'string' ? { kind: 'text', value: m.text } : { kind: 'json', value: JSON.stringify(m, null, 2) },
    ),
  };
}

/** The LINE message a draft message stands for, or why its JSON is not one. */
export function messageOf(draft: DraftMessage): { message: TemplateMessage } | { problem: string } {
  if (draft.kind === 'text') return { message: { type: 'text', text: draft.value } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(draft.value);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const isMessage = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && typeof (parsed as { type?: unknown }).type === 'string';
  return isMessage ? { message: parsed as TemplateMessage } : { problem: 'not a LINE message object with a "type"' };
}
