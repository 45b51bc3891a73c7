// Identifiers in the formats the LINE Platform uses, so that code which checks formats
// (user IDs, ULID webhook event IDs, numeric message IDs) is exercised as it would be in production.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const base64url = (bytes: number): string => randomBytes(bytes).toString('base64url');

export const newChannelId = (): string => String(randomInt(1_000_000_000, 2_000_000_000));
export const newChannelSecret = (): string => hex(16);
export const newAccessToken = (): string => base64url(128);
export const newUserId = (): string => 'U' + hex(16);
export const newGroupId = (): string => 'C' + hex(16);
export const newBasicId = (): string => '@' + randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 8);
export const newReplyToken = (): string => hex(16);
export const newQuoteToken = (): string => 'q' + base64url(48);
export const newMarkAsReadToken = (): string => base64url(96);
export const newRequestId = (): string => randomUUID();
export const newLinkToken = (): string => base64url(24);
export const newOpaqueToken = (): string => base64url(32);

let lastMessageId = BigInt(Date.now()) * 100_000n;
/** Message IDs are numeric strings that grow over time, like LINE's. */
export function newMessageId(): string {
  lastMessageId += BigInt(randomInt(1, 1000));
  return lastMessageId.toString();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID (26 Crockford base32 characters: 48-bit time, 80 random bits), the format of webhookEventId. */
export function newWebhookEventId(now: number): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (const b of randomBytes(16)) rand += CROCKFORD[b % 32];
  return time + rand;
}

export const isUuid = (v: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
export const isUserId = (v: unknown): v is string => typeof v === 'string' && /^U[0-9a-f]{32}$/.test(v);
export const isGroupId = (v: unknown): v is string => typeof v === 'string' && /^C[0-9a-f]{32}$/.test(v);
export const isRoomId = (v: unknown): v is string => typeof v === 'string' && /^R[0-9a-f]{32}$/.test(v);
