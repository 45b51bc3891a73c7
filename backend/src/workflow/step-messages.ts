// The messages of one workflow step: the chosen message template's, or else the fields message_1 …
// message_5, each plain text or a LINE message object as JSON. Empty fields are skipped; anything LINE would
// refuse is reported with the field's name. A template deleted after the step was saved is reported as such.
import type { LineMessage } from '../line/line-channel.ts';
import { MAX_MESSAGES, messageProblem } from '../line/message-rules.ts';
import type { MessageTemplate } from '../templates/repository.ts';

/** Finds a template of the portal (undefined when it does not exist, or belongs to another portal). */
export type TemplateFinder = (portalId: number, id: number) => Promise<MessageTemplate | undefined>;

export const MESSAGE_FIELDS = Array.from({ length: MAX_MESSAGES }, (_, i) => `message_${i + 1}`);

export type StepMessages = { ok: true; messages: LineMessage[] } | { ok: false; problem: string };

function fieldMessage(field: string, raw: string): { message?: LineMessage; problem?: string } {
  const trimmed = raw.trim();
  // A text may begin with a contact token ({{contact.firstname}}さん); JSON never begins with {{.
  if (!trimmed.startsWith('{') || trimmed.startsWith('{{')) return { message: { type: 'text', text: raw } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    return { problem: `${field} is not valid JSON (${(error as Error).message})` };
  }
  const problem = messageProblem(parsed);
  return problem ? { problem: `${field}: ${problem}` } : { message: parsed as LineMessage };
}

const isEmpty = (raw: unknown) => raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');

async function templateMessages(findTemplate: TemplateFinder, portalId: number, raw: unknown): Promise<StepMessages> {
  const id = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : '';
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return { ok: false, problem: 'template must be the id of a message template' };
  const template = await findTemplate(portalId, Number(id));
  if (!template) return { ok: false, problem: `The message template ${id} of this step was deleted; choose another template or write the messages in the step` };
  return { ok: true, messages: template.messages as LineMessage[] };
}

function fieldMessages(inputFields: Record<string, unknown>): StepMessages {
  const messages: LineMessage[] = [];
  for (const field of MESSAGE_FIELDS) {
    const raw = inputFields[field];
    if (isEmpty(raw)) continue;
    if (typeof raw !== 'string') return { ok: false, problem: `${field} must be text` };
    const { message, problem } = fieldMessage(field, raw);
    if (problem) return { ok: false, problem };
    const textProblem = message!.type === 'text' ? messageProblem(message) : undefined;
    if (textProblem) return { ok: false, problem: `${field}: ${textProblem}` };
    messages.push(message!);
  }
  if (messages.length === 0) return { ok: false, problem: 'The step has no message: choose a template or fill in at least message_1' };
  return { ok: true, messages };
}

export async function stepMessages(findTemplate: TemplateFinder, portalId: number, inputFields: Record<string, unknown>): Promise<StepMessages> {
  return isEmpty(inputFields.template) ? fieldMessages(inputFields) : templateMessages(findTemplate, portalId, inputFields.template);
}
