// The rep answering in the chat (typing or sending, not merely opening it: an unanswered 既読 reads as being
// ignored) marks the user's messages as read on LINE: one markAsRead call with the newest unread message's
// token reads everything up to it. A LINE failure is logged and reported, never thrown: the messages stay
// unread here and the next answer tries again.
import type { AppContext } from '../context.ts';
import { markRead, newestUnreadWithToken } from '../conversation/messages.ts';
import { lineChannel } from '../line/line-channel.ts';
import type { Conversation } from './conversation.ts';
import { tryLineCall } from './line-call.ts';

export interface ReadResult {
  /** How many inbound messages were marked read. */
  marked: number;
  error: string | null;
}

export async function markConversationRead(ctx: AppContext, { account, link }: Conversation): Promise<ReadResult> {
  const key = { portalId: account.portalId, accountId: account.id, lineUserId: link.lineUserId };
  const newest = await newestUnreadWithToken(ctx, key);
  if (newest) {
    const line = lineChannel(ctx.config, account.channelAccessToken);
    const result = await tryLineCall(line, 'mark as read', (c) => c.messaging.markMessagesAsReadByToken({ markAsReadToken: newest.markAsReadToken }), ctx.config.timings.line.chatCallTimeoutMs);
    if (!result.ok) {
      ctx.logger.warn({ accountId: account.id, reason: result.reason }, 'could not mark LINE messages as read');
      return { marked: 0, error: result.reason };
    }
  }
  const now = Date.now();
  // Up to the newest message that carried a token (or all of them when none did: nothing to tell LINE).
  const marked = await markRead(ctx, key, newest?.id, now);
  return { marked, error: null };
}
