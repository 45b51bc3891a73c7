// Sending to a company's LINE group from its chat panel, as the 1:1 chat sends: stored first (status
// 'sending', with its retry key), then handed to LINE by reply with the group's fresh reply token or else
// by push to the group id, then the outcome stored. A repeated client message id answers the stored
// message without sending again; a failed message is retried with the same key, so LINE delivers it once.
import type { AppContext } from '../context.ts';
import { deliverChatMessage } from '../chat/deliver.ts';
import type { SendInput } from '../chat/inputs.ts';
import { lineMessageOf } from '../chat/line-message-of.ts';
import { STALE_SENDING_MS } from '../chat/message-view.ts';
import { replyTokenMarginMs } from '../chat/reply-tokens.ts';
import { chatRetryKey } from '../chat/retry-key.ts';
import {
  claimGroupMessageForRetry,
  findGroupMessage,
  findGroupMessageByClientId,
  insertGroupChatMessage,
  markGroupMessageFailed,
  markGroupMessageSent,
  setGroupMessageRetryKey,
  type GroupMessageRow,
} from '../groups/group-messages.ts';
import { recordGroupMessageSent } from '../groups/group-outbound.ts';
import { takeGroupReplyToken } from '../groups/groups.ts';
import type { HubSpotCaller } from '../hubspot/signed-requests.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { LineMessage } from '../line/line-channel.ts';
import { assertInGroup, type GroupChat } from './group-chat.ts';

/** The stored message a repeated client message id names; 409 when the repeat asks for another message. */
function sameSend({ key }: GroupChat, stored: GroupMessageRow, payload: string): GroupMessageRow {
  const same = Number(stored.line_account_id) === key.accountId && stored.group_id === key.groupId && stored.payload === payload;
  if (!same) throw new HttpError(409, 'client_message_id_reused', 'This client message id belongs to another message: give each message its own id');
  return stored;
}

export async function sendGroupMessage(ctx: AppContext, chat: GroupChat, input: SendInput, caller: HubSpotCaller): Promise<{ row: GroupMessageRow; repeated: boolean }> {
  const { account, key } = chat;
  const message = await lineMessageOf(ctx, key.portalId, input);
  const payload = JSON.stringify(message);
  const earlier = await findGroupMessageByClientId(ctx, key.portalId, input.clientMessageId);
  if (earlier) return { row: sameSend(chat, earlier, payload), repeated: true };
  assertInGroup(chat);
  const now = Date.now();
  const id = await insertGroupChatMessage(ctx, {
    ...key,
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
    return { row: sameSend(chat, (await findGroupMessageByClientId(ctx, key.portalId, input.clientMessageId))!, payload), repeated: true };
  }
  const retryKey = chatRetryKey(account.channelId, id, now, 'group-chat');
  await setGroupMessageRetryKey(ctx, key.portalId, id, retryKey);
  const takeReplyToken = () => takeGroupReplyToken(ctx, key, replyTokenMarginMs(ctx.config.timings.line));
  return { row: await attemptDelivery(ctx, chat, { id, message, retryKey, takeReplyToken }), repeated: false };
}

export async function retryGroupMessage(ctx: AppContext, chat: GroupChat, messageId: number): Promise<GroupMessageRow> {
  assertInGroup(chat);
  const { account, key } = chat;
  const row = await findGroupMessage(ctx, key.portalId, messageId);
  const ours = row && Number(row.line_account_id) === key.accountId && row.group_id === key.groupId && row.direction === 'outbound' && String(row.sent_by ?? '').startsWith('user:');
  if (!ours) throw notFound('No such chat message in this group');
  const now = Date.now();
  // Claiming the row (failed, or 'sending' left behind by an interrupted process) makes a double click one retry.
  if (!(await claimGroupMessageForRetry(ctx, key.portalId, messageId, now - STALE_SENDING_MS, now))) {
    throw new HttpError(409, 'not_retryable', 'Only a message that failed to send can be retried');
  }
  const message = JSON.parse(String(row.payload)) as LineMessage;
  const retryKey = String(row.retry_key ?? chatRetryKey(account.channelId, messageId, Number(row.created_at), 'group-chat'));
  // A retry always pushes with the original key: if the first attempt did reach LINE, LINE answers 409.
  return attemptDelivery(ctx, chat, { id: messageId, message, retryKey });
}

async function attemptDelivery(ctx: AppContext, { account, group, key }: GroupChat, send: { id: number; message: LineMessage; retryKey: string; takeReplyToken?: () => Promise<string | undefined> }): Promise<GroupMessageRow> {
  const delivery = await deliverChatMessage(ctx, account, key.groupId, send.message, send);
  const now = Date.now();
  if (delivery.ok) {
    await markGroupMessageSent(ctx, key.portalId, send.id, { lineMessageId: delivery.lineMessageId, quoteToken: delivery.quoteToken, via: delivery.via, at: now });
    await recordGroupMessageSent(ctx, group, send.id, now);
    ctx.logger.info({ groupMessageId: send.id, accountId: account.id, via: delivery.via }, 'group chat message sent');
  } else {
    await markGroupMessageFailed(ctx, key.portalId, send.id, delivery.reason, now);
    ctx.logger.warn({ groupMessageId: send.id, accountId: account.id, reason: delivery.reason }, 'group chat message failed');
  }
  return (await findGroupMessage(ctx, key.portalId, send.id))!;
}
