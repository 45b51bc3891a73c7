// What the settings page and the chat panel may send to save a template: a name and 1-5 LINE message
// objects, each held to LINE's documented limits (line/message-rules.ts), so a template LINE would refuse is
// a 400 naming the message (`messages.2`) instead of a workflow step that fails later for every contact.
import { z } from 'zod';
import { MAX_MESSAGES, messageProblem } from '../line/message-rules.ts';

const message = z
  .record(z.string(), z.unknown())
  .transform((m) => (m.type === 'text' && typeof m.text === 'string' ? { ...m, text: m.text.trim() } : m))
  .superRefine((m, issues) => {
    const problem = messageProblem(m);
    if (problem) issues.addIssue({ code: 'custom', message: problem });
  });

export const templateBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  messages: z.array(message).min(1, 'must hold at least one message').max(MAX_MESSAGES, `must hold at most ${MAX_MESSAGES} messages`),
});

export type TemplateInput = z.infer<typeof templateBody>;

export const templateParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
