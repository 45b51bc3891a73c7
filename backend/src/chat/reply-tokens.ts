// The latest reply token of each LINE user (written by the inbound feature when a message arrives).
// A chat send takes it at most once: deleting the row is the claim, so two sends never use one token.
import type { AppContext } from '../context.ts';

/** A token this close to its expiry is left alone: the reply call itself takes time. */
export const REPLY_TOKEN_MARGIN_MS = 5_000;

export async function takeReplyToken(ctx: AppContext, accountId: number, lineUserId: string, now = Date.now()): Promise<string | undefined> {
  const row = await ctx.db('line_reply_tokens')
    .where({ line_account_id: accountId, line_user_id: lineUserId })
    .andWhere('expires_at', '>', now + REPLY_TOKEN_MARGIN_MS)
    .first('reply_token');
  if (!row) return undefined;
  const claimed = await ctx.db('line_reply_tokens')
    .where({ line_account_id: accountId, line_user_id: lineUserId, reply_token: row.reply_token })
    .delete();
  return claimed === 1 ? String(row.reply_token) : undefined;
}
