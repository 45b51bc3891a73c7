// Keeps chat sends to one LINE user in the order they were stored: a message waits while an earlier chat
// message of the same conversation is still being handed to LINE (two agents pressing "send" at once).
// It checks the database, so it holds across backend processes; an interrupted send stops blocking
// after STALE_SENDING_MS, and no message waits longer than MAX_ORDER_WAIT_MS.
import type { AppContext } from '../context.ts';
import { earlierChatSend, type ConversationKey } from '../conversation/messages.ts';
import { STALE_SENDING_MS } from './message-view.ts';

export const ORDER_CHECK_MS = 20;
export const MAX_ORDER_WAIT_MS = 5_000;

export async function waitForEarlierSends(ctx: AppContext, message: ConversationKey & { id: number }): Promise<void> {
  const deadline = Date.now() + MAX_ORDER_WAIT_MS;
  for (;;) {
    const now = Date.now();
    const earlier = await earlierChatSend(ctx, message, message.id, now - STALE_SENDING_MS);
    if (!earlier) return;
    if (now >= deadline) {
      ctx.logger.warn({ messageId: message.id, waitingFor: earlier }, 'sending a chat message before an earlier one finished');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ORDER_CHECK_MS));
  }
}
