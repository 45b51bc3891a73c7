// Keeps chat sends to one LINE user in the order they were stored: a message waits while an earlier chat
// message of the same conversation is still being handed to LINE (two agents pressing "send" at once).
// It checks the database, so it holds across backend processes; an interrupted send stops blocking
// after STALE_SENDING_MS, and no message waits longer than MAX_ORDER_WAIT_MS.
import type { AppContext } from '../context.ts';
import { STALE_SENDING_MS } from './message-view.ts';

export const ORDER_CHECK_MS = 20;
export const MAX_ORDER_WAIT_MS = 5_000;

export async function waitForEarlierSends(ctx: AppContext, message: { id: number; accountId: number; lineUserId: string }): Promise<void> {
  const deadline = Date.now() + MAX_ORDER_WAIT_MS;
  for (;;) {
    const now = Date.now();
    const earlier = await ctx.db('messages')
      .where({ line_account_id: message.accountId, line_user_id: message.lineUserId, direction: 'outbound', status: 'sending' })
      .andWhere('id', '<', message.id)
      .andWhere('sent_by', 'like', 'user:%')
      .andWhere('updated_at', '>', now - STALE_SENDING_MS)
      .first('id');
    if (!earlier) return;
    if (now >= deadline) {
      ctx.logger.warn({ messageId: message.id, waitingFor: earlier.id }, 'sending a chat message before an earlier one finished');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ORDER_CHECK_MS));
  }
}
