// The latest reply token of each LINE user (written by the inbound feature when a message arrives).
// A chat send takes it at most once: deleting the row is the claim, so two sends never use one token.
import type { AppContext } from '../context.ts';
import type { Timings } from '../timings.ts';

/**
 * A token this close to its expiry is left alone: a reply (and, when LINE does not answer it, the
 * confirming second call) must reach LINE while the token is valid, so that "invalid reply token" can
 * only mean "already used".
 */
export const replyTokenMarginMs = ({ chatCallTimeoutMs, replyConfirmTimeoutMs }: Timings['line']) => chatCallTimeoutMs + replyConfirmTimeoutMs + 3_000;

export async function takeReplyToken(ctx: AppContext, accountId: number, lineUserId: string, now = Date.now()): Promise<string | undefined> {
  const row = await ctx.db('line_reply_tokens')
    .where({ line_account_id: accountId, line_user_id: lineUserId })
    .andWhere('expires_at', '>', now + replyTokenMarginMs(ctx.config.timings.line))
    .first('reply_token');
  if (!row) return undefined;
  const claimed = await ctx.db('line_reply_tokens')
    .where({ line_account_id: accountId, line_user_id: lineUserId, reply_token: row.reply_token })
    .delete();
  return claimed === 1 ? String(row.reply_token) : undefined;
}

/** LINE accepts a reply token for about a minute after the event; we stop offering it a little earlier. */
export const REPLY_TOKEN_LIFETIME_MS = 55_000;

/**
 * Remembers the newest reply token of a LINE user (called by the inbound worker for each event that
 * carries one). Redelivered events are left out: their token's lifetime counts from the redelivery,
 * which the event does not tell us, so a push is the safe choice for them.
 */
export async function storeReplyToken(
  ctx: AppContext,
  accountId: number,
  event: { replyToken?: string; timestamp: number; mode?: string; source?: { type?: string; userId?: string }; deliveryContext?: { isRedelivery?: boolean } },
  now = Date.now(),
): Promise<boolean> {
  const lineUserId = event.source?.type === 'user' ? event.source.userId : undefined;
  const expiresAt = event.timestamp + REPLY_TOKEN_LIFETIME_MS;
  if (!event.replyToken || !lineUserId || event.mode === 'standby' || event.deliveryContext?.isRedelivery || expiresAt <= now) return false;
  await ctx.db('line_reply_tokens')
    .insert({ line_account_id: accountId, line_user_id: lineUserId, reply_token: event.replyToken, expires_at: expiresAt })
    .onConflict(['line_account_id', 'line_user_id'])
    .merge(['reply_token', 'expires_at']);
  return true;
}
