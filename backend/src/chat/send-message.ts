// Sending from a contact's chat panel: the 1:1 conversation's log and follow-up behind the send-once
// algorithm every chat panel shares (send-once.ts). Sends to one LINE user keep the order they were stored in.
import type { AppContext } from '../context.ts';
import type { HubSpotCaller } from '../hubspot/signed-requests.ts';
import { claimForRetry, findByClientMessageId, findMessageById, insertChatMessage, markFailed, markSent, setRetryKey, type MessageRow } from '../conversation/messages.ts';
import { outboundSentJob } from '../conversation/outbound-sent-job.ts';
import { jobOf } from '../jobs/define-job.ts';
import { assertReachable, type Conversation } from './conversation.ts';
import type { SendInput } from './inputs.ts';
import { takeReplyToken } from './reply-tokens.ts';
import { retryOnce, sendOnce, type OutboundChat } from './send-once.ts';
import { waitForEarlierSends } from './send-order.ts';

function outboundChat(ctx: AppContext, conversation: Conversation): OutboundChat<MessageRow> {
  const { account, link } = conversation;
  const portalId = account.portalId;
  const key = { portalId, accountId: account.id, lineUserId: link.lineUserId };
  return {
    log: 'chat',
    account,
    to: link.lineUserId,
    assertOpen: () => assertReachable(conversation),
    findByClientMessageId: (clientMessageId) => findByClientMessageId(ctx, portalId, clientMessageId),
    findById: (id) => findMessageById(ctx, portalId, id),
    holds: (row) => Number(row.line_account_id) === account.id && row.line_user_id === link.lineUserId,
    insertSending: (m) => insertChatMessage(ctx, { ...key, ...m }),
    setRetryKey: (id, retryKey) => setRetryKey(ctx, portalId, id, retryKey),
    claimForRetry: (id, staleBefore, now) => claimForRetry(ctx, portalId, id, staleBefore, now),
    takeReplyToken: () => takeReplyToken(ctx, account.id, link.lineUserId),
    waitForEarlierSends: (id) => waitForEarlierSends(ctx, { ...key, id }),
    recordSent: (id, sent) =>
      ctx.db.transaction(async (trx) => {
        await markSent(ctx, portalId, id, sent, trx);
        // The conversation feature's part of a send: timeline entry, last outbound date, unanswered flag, owner task.
        await ctx.queue.enqueue(jobOf(outboundSentJob, { messageId: id }, { dedupeKey: `${outboundSentJob.type}:${id}`, portalId, lineAccountId: account.id }), trx);
      }),
    recordFailed: (id, failure, at) => markFailed(ctx, portalId, id, failure.reason, at),
  };
}

/** Sends a message from the panel once: `repeated` when its client message id was already stored (nothing is sent again). */
export function sendChatMessage(ctx: AppContext, conversation: Conversation, input: SendInput, caller: HubSpotCaller): Promise<{ row: MessageRow; repeated: boolean }> {
  return sendOnce(ctx, outboundChat(ctx, conversation), input, caller);
}

export function retryChatMessage(ctx: AppContext, conversation: Conversation, messageId: number): Promise<MessageRow> {
  return retryOnce(ctx, outboundChat(ctx, conversation), messageId);
}
