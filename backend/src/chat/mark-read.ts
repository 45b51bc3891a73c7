// Opening the chat marks the user's messages as read on LINE: one markAsRead call with the newest unread
// message's token reads everything up to it. A LINE failure is logged and reported, never thrown: the
// messages stay unread here and the next opening tries again.
import type { AppContext } from '../context.ts';
import { lineChannel } from '../line/line-channel.ts';
import type { Conversation } from './conversation.ts';
import { tryLineCall } from './line-call.ts';

export interface ReadResult {
  /** How many inbound messages were marked read. */
  marked: number;
  error: string | null;
}

export async function markConversationRead(ctx: AppContext, { account, link }: Conversation): Promise<ReadResult> {
  const unread = () =>
    ctx.db('messages')
      .where({ portal_id: account.portalId, line_account_id: account.id, line_user_id: link.lineUserId, direction: 'inbound' })
      .whereNull('read_at');
  const newest = await unread().whereNotNull('mark_as_read_token').orderBy('id', 'desc').first('id', 'mark_as_read_token');
  if (newest) {
    const line = lineChannel(ctx.config, account.channelAccessToken);
    const result = await tryLineCall(line, 'mark as read', (c) => c.messaging.markMessagesAsReadByToken({ markAsReadToken: String(newest.mark_as_read_token) }), ctx.config.timings.line.chatCallTimeoutMs);
    if (!result.ok) {
      ctx.logger.warn({ accountId: account.id, reason: result.reason }, 'could not mark LINE messages as read');
      return { marked: 0, error: result.reason };
    }
  }
  const now = Date.now();
  // Up to the newest message that carried a token (or all of them when none did: nothing to tell LINE).
  const q = unread();
  if (newest) q.andWhere('id', '<=', newest.id);
  const marked = await q.update({ read_at: now, updated_at: now });
  return { marked, error: null };
}
