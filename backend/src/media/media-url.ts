// Expiring, HMAC-signed URLs for the media the chat panel shows. The UI's Image component cannot send
// headers, so the URL itself is the permission:
// `${PUBLIC_BASE_URL}/media/<portalId>.<messageId>.<expiresAt>.<signature>`. It names one message of one
// portal, and the route looks the message up within that portal only. A group member's message has a `g`
// before its id (group_messages.id: the two logs number their messages apart).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { MediaSource } from './media-store.ts';

export const MEDIA_URL_TTL_MS = 60 * 60 * 1000;
const TOKEN = /^(\d{1,15})\.(g?)(\d{1,18})\.(\d{1,13})\.([A-Za-z0-9_-]{43})$/;

const keys = new WeakMap<AppContext, Buffer>();

function signingKey(ctx: AppContext): Buffer {
  let key = keys.get(ctx);
  if (!key) keys.set(ctx, (key = ctx.secrets.deriveKey('media-url')));
  return key;
}

function sign(ctx: AppContext, source: MediaSource, portalId: number, messageId: number, expiresAt: number): string {
  return createHmac('sha256', signingKey(ctx)).update(`${source === 'group' ? 'group-media' : 'media'}:${portalId}:${messageId}:${expiresAt}`).digest('base64url');
}

/** A URL that serves the media of message `messageId` (messages.id, or group_messages.id) of the portal for the next hour. */
export function mediaUrl(ctx: AppContext, portalId: number, messageId: number, now = Date.now(), source: MediaSource = 'chat'): string {
  // Rounded up to the minute, so URLs stay stable (and cacheable) while a chat panel polls.
  const expiresAt = Math.ceil((now + MEDIA_URL_TTL_MS) / 60_000) * 60_000;
  return `${ctx.config.PUBLIC_BASE_URL}/media/${portalId}.${source === 'group' ? 'g' : ''}${messageId}.${expiresAt}.${sign(ctx, source, portalId, messageId, expiresAt)}`;
}

export type MediaTokenCheck = { ok: true; source: MediaSource; portalId: number; messageId: number; expiresAt: number } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function checkMediaToken(ctx: AppContext, token: string, now = Date.now()): MediaTokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const portalId = Number(match[1]);
  const source: MediaSource = match[2] === 'g' ? 'group' : 'chat';
  const messageId = Number(match[3]);
  const expiresAt = Number(match[4]);
  const expected = Buffer.from(sign(ctx, source, portalId, messageId, expiresAt));
  const given = Buffer.from(match[5]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, source, portalId, messageId, expiresAt };
}
