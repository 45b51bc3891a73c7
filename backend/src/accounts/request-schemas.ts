// What the settings page may send, validated before anything is looked up or changed. Pasted values are
// trimmed; unknown fields are refused, so a typo in a field name is an error instead of a silent no-op.
import { z } from 'zod';

const channelId = z.string().trim().regex(/^\d{6,20}$/, 'must be the numeric channel ID shown in the LINE Developers Console');
const channelSecret = z.string().trim().regex(/^[0-9a-fA-F]{32}$/, 'must be the 32-character channel secret');
const channelAccessToken = z
  .string()
  .trim()
  .min(20, 'is too short to be a channel access token')
  .max(1000, 'is too long to be a channel access token')
  .regex(/^[A-Za-z0-9+/=._-]+$/, 'must be a channel access token as issued by LINE (no spaces)');
const liffId = z.string().trim().regex(/^\d{6,20}-[A-Za-z0-9]{4,32}$/, 'must be a LIFF ID such as 1234567890-AbCdEfGh');

/** Where a LINE user lands after logging in: a web page (https) or a LINE URL scheme (line://...). */
const afterLoginUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      return ['https:', 'line:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an https:// URL or a line:// URL');

export const timelineModes = ['app_events', 'notes', 'off'] as const;

export const addAccountBody = z.strictObject({ channelId, channelSecret, channelAccessToken });

export const updateAccountBody = z
  .strictObject({
    channelSecret: channelSecret.optional(),
    channelAccessToken: channelAccessToken.optional(),
    autoCreateContacts: z.boolean().optional(),
    autoCreateCompanies: z.boolean().optional(),
    ownerTasks: z.boolean().optional(),
    timelineMode: z.enum(timelineModes).optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'must change at least one field');

export const loginSettingsBody = z.strictObject({
  channelId,
  /** Optional when the account already has the secret of this same login channel. */
  channelSecret: channelSecret.optional(),
  liffId: liffId.nullable().optional(),
  redirectUrl: afterLoginUrl.nullable().optional(),
  requireEmail: z.boolean().default(false),
});

export const accountIdParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);


export const operationIdParam = z.uuid();
