// Sending from the chat panel. The message is stored first (status 'sending', with its retry key), then
// handed to LINE, then its outcome is stored: 'sent' with LINE's message id, or 'failed' with the reason.
// A failed (or interrupted) message can be sent again with the same retry key, so LINE delivers it once.
import type { AppContext } from '../context.ts';
import type { HubSpotCaller } from '../hubspot/signed-requests.ts';
import type { LineMessage } from '../line/line-channel.ts';
import { claimForRetry, findByClientMessageId, findMessage, findMessageById, insertChatMessage, markFailed, markSent, setRetryKey, type MessageRow } from '../conversation/messages.ts';
import { outboundSentJob } from '../conversation/outbound-sent-job.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { jobOf } from '../jobs/define-job.ts';
import { assertReachable, type Conversation } from './conversation.ts';
import { deliverChatMessage } from './deliver.ts';
import type { SendInput } from './inputs.ts';
import { lineMessageOf } from './line-message-of.ts';
import { takeReplyToken } from './reply-tokens.ts';
import { chatRetryKey } from './retry-key.ts';
import { waitForEarlierSends } from './send-order.ts';
import { STALE_SENDING_MS } from './message-view.ts';

/** The stored message a repeated client message id names; 409 when the repeat asks for another message. */
function sameSend({ account, link }: Conversation, stored: MessageRow, payload: string): MessageRow {
  const same = Number(stored.line_account_id) === account.id && stored.line_user_id === link.lineUserId && stored.payload === payload;
  if (!same) throw new HttpError(409, 'client_message_id_reused', 'This client message id belongs to another message: give each message its own id');
  return stored;
}

/** Sends a message from the panel once: `repeated` when its client message id was already stored (nothing is sent again). */
export async function sendChatMessage(ctx: AppContext, conversation: Conversation, input: SendInput, caller: HubSpotCaller): Promise<{ row: MessageRow; repeated: boolean }> {
  const { account, link } = conversation;
  const message = await lineMessageOf(ctx, account.portalId, input);
  const payload = JSON.stringify(message);
  const earlier = await findByClientMessageId(ctx, account.portalId, input.clientMessageId);
  if (earlier) return { row: sameSend(conversation, earlier, payload), repeated: true };
  assertReachable(conversation);
  const now = Date.now();
  const id = await insertChatMessage(ctx, {
    portalId: account.portalId,
    accountId: account.id,
    lineUserId: link.lineUserId,
    type: message.type,
    text: message.type === 'text' ? message.text : null,
    payload,
    status: 'sending',
    sentBy: `user:${caller.userId ?? 'unknown'}`,
    senderName: caller.userEmail ?? null,
    createdAt: now,
    clientMessageId: input.clientMessageId,
  });
  if (id === undefined) {
    // The same send arrived twice at once (HubSpot's retry while the first request still ran): the other one sends it.
    return { row: sameSend(conversation, (await findByClientMessageId(ctx, account.portalId, input.clientMessageId))!, payload), repeated: true };
  }
  const retryKey = chatRetryKey(account.channelId, id, now);
  await setRetryKey(ctx, account.portalId, id, retryKey);
  return { row: await attemptDelivery(ctx, conversation, { id, message, retryKey, mayReply: true }), repeated: false };
}

export async function retryChatMessage(ctx: AppContext, conversation: Conversation, messageId: number): Promise<MessageRow> {
  assertReachable(conversation);
  const { account, link } = conversation;
  const row = await findMessage(ctx, { portalId: account.portalId, accountId: account.id, lineUserId: link.lineUserId }, messageId);
  if (!row || row.direction !== 'outbound' || !String(row.sent_by ?? '').startsWith('user:')) throw notFound('No such chat message in this conversation');
  const now = Date.now();
  // Claiming the row (failed, or 'sending' left behind by an interrupted process) makes a double click one retry.
  const claimed = await claimForRetry(ctx, account.portalId, messageId, now - STALE_SENDING_MS, now);
  if (!claimed) throw new HttpError(409, 'not_retryable', 'Only a message that failed to send can be retried');
  const message = JSON.parse(String(row.payload)) as LineMessage;
  const retryKey = String(row.retry_key ?? chatRetryKey(account.channelId, messageId, Number(row.created_at)));
  // A retry always pushes with the original key: if the first attempt did reach LINE, LINE answers 409.
  return attemptDelivery(ctx, conversation, { id: messageId, message, retryKey, mayReply: false });
}

async function attemptDelivery(
  ctx: AppContext,
  { account, link }: Conversation,
  send: { id: number; message: LineMessage; retryKey: string; mayReply: boolean },
): Promise<MessageRow> {
  await waitForEarlierSends(ctx, { id: send.id, portalId: account.portalId, accountId: account.id, lineUserId: link.lineUserId });
  const delivery = await deliverChatMessage(ctx, account, link.lineUserId, send.message, {
    retryKey: send.retryKey,
    takeReplyToken: send.mayReply ? () => takeReplyToken(ctx, account.id, link.lineUserId) : undefined,
  });
  const now = Date.now();
  if (delivery.ok) {
    await ctx.db.transaction(async (trx) => {
      await markSent(ctx, account.portalId, send.id, { lineMessageId: delivery.lineMessageId, quoteToken: delivery.quoteToken, at: now }, trx);
      // The conversation feature's part of a send: timeline entry, last outbound date, unanswered flag, owner task.
      await ctx.queue.enqueue(
        jobOf(outboundSentJob, { messageId: send.id }, { dedupeKey: `${outboundSentJob.type}:${send.id}`, portalId: account.portalId, lineAccountId: account.id }),
        trx,
      );
    });
    ctx.logger.info({ messageId: send.id, accountId: account.id, via: delivery.via }, 'chat message sent');
  } else {
    await markFailed(ctx, account.portalId, send.id, delivery.reason, now);
    ctx.logger.warn({ messageId: send.id, accountId: account.id, reason: delivery.reason }, 'chat message failed');
  }
  return (await findMessageById(ctx, account.portalId, send.id))!;
}
