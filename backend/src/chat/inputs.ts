// Request shapes of the chat API, validated with zod; a failed parse is a 400 that changes nothing.
import { z } from 'zod';
import { LINE_USER_ID } from '../contacts/link-rule.ts';
import type { LineMessage } from '../line/line-channel.ts';

export const MAX_TEXT_LENGTH = 5000; // LINE's limit for a text message, in UTF-16 code units (String.length)
export const MAX_WAIT_MS = 10_000; // stays well inside hubspot.fetch's 15 s timeout

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const contactParams = z.object({ contactId: id });
export const linkParams = z.object({ contactId: id, accountId: id });
export const retryParams = z.object({ contactId: id, messageId: id });

export const historyQuery = z.object({
  accountId: id,
  before: id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const updatesQuery = z.object({
  accountId: id,
  after: z.coerce.number().int().min(0).default(0),
  // Server time returned by the previous answer: status changes at or after it are reported again.
  since: z.coerce.number().int().min(0).optional(),
  waitMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(MAX_WAIT_MS),
  // The friendship the panel shows: when it is no longer the user's, the answer comes at once (a block closes the composer).
  followStatus: z.enum(['following', 'blocked', 'unknown']).optional(),
});

export const accountBody = z.object({ accountId: id });

export const linkBody = z.object({
  lineUserId: z
    .string()
    .trim()
    .regex(LINE_USER_ID, 'must be a LINE user ID: "U" followed by 32 hexadecimal characters'),
});

const chatText = z
  .string()
  .transform((t) => t.trim())
  .pipe(z.string().min(1, 'must not be empty').max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`));

const sticker = z.object({
  packageId: z.string().regex(/^\d{1,20}$/, 'must be a numeric string'),
  stickerId: z.string().regex(/^\d{1,20}$/, 'must be a numeric string'),
});

// Made once per message by the panel and kept across retries (HubSpot's and the panel's own): a repeat
// answers the message already stored instead of sending it again.
const clientMessageId = z.uuid('must be a UUID');

export const sendBody = z.union([
  z.object({ accountId: id, clientMessageId, text: chatText }).strict(),
  z.object({ accountId: id, clientMessageId, sticker }).strict(),
]);

export type SendInput = z.infer<typeof sendBody>;

/** The LINE message a panel's send asks for (1:1 or group). */
export function lineMessageOf(input: SendInput): LineMessage {
  if ('text' in input) return { type: 'text', text: input.text };
  return { type: 'sticker', packageId: input.sticker.packageId, stickerId: input.sticker.stickerId };
}
