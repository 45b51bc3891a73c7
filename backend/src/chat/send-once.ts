// Sending a chat panel's message once, whichever chat it is (a contact's 1:1 chat, a company's LINE group):
// stored first (status 'sending', with its retry key), then handed to LINE (by reply with the chat's fresh
// reply token, else by push), then its outcome stored. A repeated client message id answers the stored
// message without sending again; a failed (or interrupted) message is sent again with the same retry key,
// so LINE delivers it once. Each chat brings its own log through OutboundChat.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import type { HubSpotCaller } from '../hubspot/signed-requests.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { LineMessage } from '../line/line-channel.ts';
import { deliverChatMessage } from './deliver.ts';
import type { SendInput } from './inputs.ts';
import { lineMessageOf } from './line-message-of.ts';
import { STALE_SENDING_MS } from './message-view.ts';
import { chatRetryKey, type ChatLog } from './retry-key.ts';

/** What every chat log keeps of a message, as far as sending it once needs. */
export interface StoredSend {
  id: number;
  direction: 'inbound' | 'outbound';
  payload: string;
  sent_by: string | null;
  retry_key: string | null;
  created_at: number;
}

export interface NewSend {
  type: string;
  text: string | null;
  payload: string;
  status: 'sending';
  sentBy: string;
  senderName: string | null;
  createdAt: number;
  clientMessageId: string;
}

export interface SentOutcome {
  lineMessageId: string | null;
  quoteToken: string | null;
  via: 'reply' | 'push';
  at: number;
}

/** One chat as a send sees it: its LINE account and recipient, and its log (every lookup scoped by portal). */
export interface OutboundChat<Row extends StoredSend> {
  /** Which log the chat's retry keys derive from (their ids overlap), and how the logs name it. */
  log: ChatLog;
  account: LineAccount;
  /** The LINE user or group the messages go to. */
  to: string;
  /** Throws the 4xx that says why nothing may be sent to this chat now. */
  assertOpen(): void;
  /** The portal's message with this client message id, in whichever chat. */
  findByClientMessageId(clientMessageId: string): Promise<Row | undefined>;
  findById(id: number): Promise<Row | undefined>;
  /** Whether a stored message is one of this chat's. */
  holds(row: Row): boolean;
  /** Answers the new message's id, or undefined when the portal already has its client message id. */
  insertSending(message: NewSend): Promise<number | undefined>;
  setRetryKey(id: number, retryKey: string): Promise<void>;
  /** Claims a failed send, or one left 'sending' since before `staleBefore`; false when another claim won. */
  claimForRetry(id: number, staleBefore: number, now: number): Promise<boolean>;
  takeReplyToken(): Promise<string | undefined>;
  /** Waits while an earlier message of the chat is still being handed to LINE (a chat that keeps its sends in order). */
  waitForEarlierSends?(id: number): Promise<void>;
  /** LINE took the message: the log and whatever follows a send (timeline, unanswered flag...). */
  recordSent(id: number, sent: SentOutcome): Promise<void>;
  /** LINE did not take the message (`status`: LINE's answer, null without one); may throw the 4xx that closes the chat. */
  recordFailed(id: number, failure: { reason: string; status: number | null }, at: number): Promise<void>;
}

/** The stored message a repeated client message id names; 409 when the repeat asks for another message. */
function sameSend<Row extends StoredSend>(chat: OutboundChat<Row>, stored: Row, payload: string): Row {
  if (!chat.holds(stored) || stored.payload !== payload) {
    throw new HttpError(409, 'client_message_id_reused', 'This client message id belongs to another message: give each message its own id');
  }
  return stored;
}

/** Sends a message from the panel once: `repeated` when its client message id was already stored (nothing is sent again). */
export async function sendOnce<Row extends StoredSend>(ctx: AppContext, chat: OutboundChat<Row>, input: SendInput, caller: HubSpotCaller): Promise<{ row: Row; repeated: boolean }> {
  const message = await lineMessageOf(ctx, chat.account.portalId, input);
  const payload = JSON.stringify(message);
  const earlier = await chat.findByClientMessageId(input.clientMessageId);
  if (earlier) return { row: sameSend(chat, earlier, payload), repeated: true };
  chat.assertOpen();
  const now = Date.now();
  const id = await chat.insertSending({
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
    return { row: sameSend(chat, (await chat.findByClientMessageId(input.clientMessageId))!, payload), repeated: true };
  }
  const retryKey = chatRetryKey(chat.account.channelId, id, now, chat.log);
  await chat.setRetryKey(id, retryKey);
  return { row: await attemptDelivery(ctx, chat, { id, message, retryKey, mayReply: true }), repeated: false };
}

/** Sends a failed (or interrupted) message of the panel again, with its original retry key. */
export async function retryOnce<Row extends StoredSend>(ctx: AppContext, chat: OutboundChat<Row>, messageId: number): Promise<Row> {
  chat.assertOpen();
  const row = await chat.findById(messageId);
  if (!row || !chat.holds(row) || row.direction !== 'outbound' || !String(row.sent_by ?? '').startsWith('user:')) throw notFound('No such chat message in this conversation');
  const now = Date.now();
  // Claiming the row (failed, or 'sending' left behind by an interrupted process) makes a double click one retry.
  if (!(await chat.claimForRetry(messageId, now - STALE_SENDING_MS, now))) throw new HttpError(409, 'not_retryable', 'Only a message that failed to send can be retried');
  const message = JSON.parse(String(row.payload)) as LineMessage;
  const retryKey = String(row.retry_key ?? chatRetryKey(chat.account.channelId, messageId, Number(row.created_at), chat.log));
  // A retry always pushes with the original key: if the first attempt did reach LINE, LINE answers 409.
  return attemptDelivery(ctx, chat, { id: messageId, message, retryKey, mayReply: false });
}

async function attemptDelivery<Row extends StoredSend>(ctx: AppContext, chat: OutboundChat<Row>, send: { id: number; message: LineMessage; retryKey: string; mayReply: boolean }): Promise<Row> {
  await chat.waitForEarlierSends?.(send.id);
  const delivery = await deliverChatMessage(ctx, chat.account, chat.to, send.message, { retryKey: send.retryKey, takeReplyToken: send.mayReply ? () => chat.takeReplyToken() : undefined });
  const now = Date.now();
  const logged = { log: chat.log, messageId: send.id, accountId: chat.account.id };
  if (delivery.ok) {
    await chat.recordSent(send.id, { lineMessageId: delivery.lineMessageId, quoteToken: delivery.quoteToken, via: delivery.via, at: now });
    ctx.logger.info({ ...logged, via: delivery.via }, 'chat message sent');
  } else {
    ctx.logger.warn({ ...logged, reason: delivery.reason }, 'chat message failed');
    await chat.recordFailed(send.id, delivery, now);
  }
  return (await chat.findById(send.id))!;
}
