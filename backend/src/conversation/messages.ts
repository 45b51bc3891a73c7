// The conversation log (messages table): the only code that reads or writes it. chat/, inbound/, media/
// and the workflow action go through these functions. Every lookup by id is scoped by portal.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { insertReturningIds, insertedId } from '../db/inserted-ids.ts';

export type MessageDirection = 'inbound' | 'outbound';
export type MessageStatus = 'received' | 'sending' | 'sent' | 'failed' | 'unsent';

/** A stored message, as the table holds it (the chat view and the timeline map it for their readers). */
export type MessageRow = {
  id: number;
  portal_id: number;
  line_account_id: number;
  line_user_id: string;
  direction: MessageDirection;
  type: string;
  text: string | null;
  /** The LINE message object, as JSON. */
  payload: string;
  line_message_id: string | null;
  quote_token: string | null;
  mark_as_read_token: string | null;
  webhook_event_id: string | null;
  status: MessageStatus;
  error: string | null;
  retry_key: string | null;
  /** user:<hubspotUserId> | workflow:<workflowId> */
  sent_by: string | null;
  sender_name: string | null;
  /** The chat panel's id for a message it sent (unique per portal). */
  client_message_id: string | null;
  created_at: number;
  sent_at: number | null;
  read_at: number | null;
  unsent_at: number | null;
  updated_at: number | null;
};

export interface ConversationKey {
  portalId: number;
  accountId: number;
  lineUserId: string;
}

/** What every stored message has: its conversation and its content (summary text and LINE JSON). */
interface NewMessage {
  portalId: number;
  accountId: number;
  lineUserId: string;
  type: string;
  text: string | null;
  payload: string;
}

export interface NewInboundMessage extends NewMessage {
  lineMessageId: string;
  quoteToken: string | null;
  markAsReadToken: string | null;
  webhookEventId: string | null;
  createdAt: number;
}

export interface NewOutboundMessage extends NewMessage {
  status: MessageStatus;
  /** user:<hubspotUserId> | workflow:<workflowId> */
  sentBy: string;
  senderName: string | null;
  createdAt: number;
  lineMessageId?: string | null;
  sentAt?: number | null;
  /** The X-Line-Retry-Key of the send, when it is already known. */
  retryKey?: string | null;
}

/**
 * Tells the portal's waiting chat panels that its log changed: now, or once `db`'s transaction commits
 * (before that a waiter would read the old rows and miss the change).
 */
function changed(ctx: AppContext, portalId: number, db: Knex = ctx.db): void {
  const notify = () => ctx.changes.notify(portalId);
  if (db.isTransaction) (db as Knex.Transaction).executionPromise.then(notify, () => undefined);
  else notify();
}

function conversationMessages(db: Knex, key: ConversationKey): Knex.QueryBuilder {
  return db('messages').where({ portal_id: key.portalId, line_account_id: key.accountId, line_user_id: key.lineUserId });
}

function byId(db: Knex, portalId: number, messageId: number): Knex.QueryBuilder {
  return db('messages').where({ portal_id: portalId, id: messageId });
}

/**
 * Stores a received message once: LINE may deliver the same webhook event again, so a message already
 * stored is kept as it is. Answers the stored row's id and status (an unsend may have arrived first).
 */
export async function insertInboundMessage(ctx: AppContext, m: NewInboundMessage): Promise<{ id: number; status: MessageStatus }> {
  await ctx.db('messages')
    .insert({
      portal_id: m.portalId,
      line_account_id: m.accountId,
      line_user_id: m.lineUserId,
      direction: 'inbound',
      type: m.type,
      text: m.text,
      payload: m.payload,
      line_message_id: m.lineMessageId,
      quote_token: m.quoteToken,
      mark_as_read_token: m.markAsReadToken,
      webhook_event_id: m.webhookEventId,
      status: 'received',
      created_at: m.createdAt,
      updated_at: Date.now(),
    })
    .onConflict(['line_account_id', 'line_message_id'])
    .ignore();
  changed(ctx, m.portalId);
  const row = await ctx.db('messages').where({ portal_id: m.portalId, line_account_id: m.accountId, line_message_id: m.lineMessageId }).first('id', 'status');
  return { id: Number(row.id), status: row.status as MessageStatus };
}

function outboundRow(m: NewOutboundMessage) {
  return {
    portal_id: m.portalId,
    line_account_id: m.accountId,
    line_user_id: m.lineUserId,
    direction: 'outbound',
    type: m.type,
    text: m.text,
    payload: m.payload,
    status: m.status,
    sent_by: m.sentBy,
    sender_name: m.senderName,
    line_message_id: m.lineMessageId ?? null,
    sent_at: m.sentAt ?? null,
    retry_key: m.retryKey ?? null,
    created_at: m.createdAt,
    updated_at: m.createdAt,
  };
}

/** Stores a message sent (or being sent) to a LINE user, in `db` (a transaction) when given; answers its id. */
export async function insertOutboundMessage(ctx: AppContext, m: NewOutboundMessage, db: Knex = ctx.db): Promise<number> {
  const [id] = await insertOutboundMessages(ctx, [m], db);
  return id;
}

/** Stores many outbound messages (one statement per 100), in `db` when given; answers their ids in the same order. */
export async function insertOutboundMessages(ctx: AppContext, messages: NewOutboundMessage[], db: Knex = ctx.db): Promise<number[]> {
  const ids = await insertReturningIds(db, 'messages', messages.map(outboundRow));
  for (const portalId of new Set(messages.map((m) => m.portalId))) changed(ctx, portalId, db);
  return ids;
}

/** Stores a message the chat panel sends; answers its id, or undefined when the portal already has its client id. */
export async function insertChatMessage(ctx: AppContext, m: NewOutboundMessage & { clientMessageId: string }): Promise<number | undefined> {
  const [inserted] = await ctx.db('messages')
    .insert({ ...outboundRow(m), client_message_id: m.clientMessageId })
    .onConflict(['portal_id', 'client_message_id'])
    .ignore()
    .returning('id');
  if (inserted === undefined) return undefined;
  changed(ctx, m.portalId);
  return insertedId(inserted);
}

/** The portals whose logs changed at or after `since` (epoch ms), written by any process, with the latest change. */
export async function portalsChangedSince(ctx: AppContext, since: number): Promise<Array<{ portalId: number; lastChangeAt: number }>> {
  const rows: Array<{ portal_id: unknown; last: unknown }> = await ctx.db('messages').where('updated_at', '>=', since).groupBy('portal_id').select('portal_id').max({ last: 'updated_at' });
  return rows.map((r) => ({ portalId: Number(r.portal_id), lastChangeAt: Number(r.last) }));
}

export async function findByClientMessageId(ctx: AppContext, portalId: number, clientMessageId: string): Promise<MessageRow | undefined> {
  return ctx.db('messages').where({ portal_id: portalId, client_message_id: clientMessageId }).first();
}

export async function findMessageById(ctx: AppContext, portalId: number, messageId: number): Promise<MessageRow | undefined> {
  return byId(ctx.db, portalId, messageId).first();
}

/** A message the user sent, by LINE's message id (what unsend and edit events name). */
export async function findInboundByLineMessageId(ctx: AppContext, key: ConversationKey, lineMessageId: string): Promise<Pick<MessageRow, 'id' | 'payload' | 'webhook_event_id'> | undefined> {
  return conversationMessages(ctx.db, key).andWhere({ line_message_id: lineMessageId, direction: 'inbound' }).first('id', 'payload', 'webhook_event_id');
}

/** The portal's sent outbound messages among `ids`. */
export async function sentOutboundMessages(ctx: AppContext, portalId: number, ids: number[]): Promise<MessageRow[]> {
  return ctx.db('messages').where({ portal_id: portalId, direction: 'outbound', status: 'sent' }).whereIn('id', ids);
}

/** Up to `limit` messages older than `before` (newest page when absent), oldest first; hasMore when older ones exist. */
export async function historyPage(ctx: AppContext, key: ConversationKey, options: { before?: number; limit: number }): Promise<{ rows: MessageRow[]; hasMore: boolean }> {
  const q = conversationMessages(ctx.db, key).orderBy('id', 'desc').limit(options.limit + 1);
  if (options.before !== undefined) q.andWhere('id', '<', options.before);
  const rows = (await q) as MessageRow[];
  const hasMore = rows.length > options.limit;
  return { rows: rows.slice(0, options.limit).reverse(), hasMore };
}

/** Messages newer than `afterId`, and older ones whose state changed at or after `since` (sent, failed, read, unsent). */
export async function changedMessages(ctx: AppContext, key: ConversationKey, afterId: number, since: number | undefined): Promise<MessageRow[]> {
  const q = conversationMessages(ctx.db, key)
    .andWhere((w) => {
      w.where('id', '>', afterId);
      if (since !== undefined) w.orWhere('updated_at', '>=', since).orWhere('unsent_at', '>=', since);
    })
    .orderBy('id', 'asc')
    .limit(200);
  return (await q) as MessageRow[];
}

export async function latestMessageId(ctx: AppContext, key: ConversationKey): Promise<number> {
  const row = await conversationMessages(ctx.db, key).max({ id: 'id' }).first();
  return Number(row?.id ?? 0);
}

export async function lastMessageAt(ctx: AppContext, key: ConversationKey): Promise<number | null> {
  const last = await conversationMessages(ctx.db, key).orderBy('id', 'desc').first('created_at');
  return last ? Number(last.created_at) : null;
}

/** When the conversation was last answered (a message sending or sent to the user), from the log alone. */
export async function lastAnsweredAt(ctx: AppContext, key: ConversationKey): Promise<number | null> {
  const row = await conversationMessages(ctx.db, key).where('direction', 'outbound').whereIn('status', ['sending', 'sent']).max({ at: 'created_at' }).first();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** The inbound messages after the last answer (sending or sent), derived from the log alone. */
export async function waitingSinceLastAnswer(ctx: AppContext, key: ConversationKey): Promise<{ firstAt: number; latestPayload: string } | undefined> {
  const answered = await conversationMessages(ctx.db, key).where('direction', 'outbound').whereIn('status', ['sending', 'sent']).max({ id: 'id' }).first();
  const afterId = Number(answered?.id ?? 0);
  const waiting = () => conversationMessages(ctx.db, key).where('direction', 'inbound').whereNot('status', 'unsent').andWhere('id', '>', afterId);
  const first = await waiting().orderBy('id', 'asc').first('created_at');
  const latest = await waiting().orderBy('id', 'desc').first('payload');
  return first && latest ? { firstAt: Number(first.created_at), latestPayload: String(latest.payload) } : undefined;
}

/**
 * The chat panel's messages LINE did not take, oldest first: failed, or left 'sending' since before
 * `staleBefore` by an interrupted process (the two a retry may claim, see claimForRetry).
 */
export async function undeliveredChatMessages(ctx: AppContext, key: ConversationKey, staleBefore: number, limit: number): Promise<Array<{ id: number; updatedAt: number }>> {
  const rows = await conversationMessages(ctx.db, key)
    .where('direction', 'outbound')
    .andWhere('sent_by', 'like', 'user:%')
    .andWhere((w) => w.where('status', 'failed').orWhere((s) => s.where('status', 'sending').andWhere('updated_at', '<', staleBefore)))
    .orderBy('id', 'asc')
    .limit(limit)
    .select('id', 'created_at', 'updated_at');
  return rows.map((r: { id: number; created_at: number; updated_at: number | null }) => ({ id: Number(r.id), updatedAt: Number(r.updated_at ?? r.created_at) }));
}

/** The id of an earlier chat message of the conversation still being handed to LINE (updated after `freshAfter`). */
export async function earlierChatSend(ctx: AppContext, key: ConversationKey, messageId: number, freshAfter: number): Promise<number | undefined> {
  const earlier = await conversationMessages(ctx.db, key)
    .where({ direction: 'outbound', status: 'sending' })
    .andWhere('id', '<', messageId)
    .andWhere('sent_by', 'like', 'user:%')
    .andWhere('updated_at', '>', freshAfter)
    .first('id');
  return earlier ? Number(earlier.id) : undefined;
}

function unread(ctx: AppContext, key: ConversationKey): Knex.QueryBuilder {
  return conversationMessages(ctx.db, key).where('direction', 'inbound').whereNull('read_at');
}

/** The newest unread message that carries a mark-as-read token. */
export async function newestUnreadWithToken(ctx: AppContext, key: ConversationKey): Promise<{ id: number; markAsReadToken: string } | undefined> {
  const row = await unread(ctx, key).whereNotNull('mark_as_read_token').orderBy('id', 'desc').first('id', 'mark_as_read_token');
  return row ? { id: Number(row.id), markAsReadToken: String(row.mark_as_read_token) } : undefined;
}

/** Marks the unread messages read, up to `upToId` when given; answers how many. */
export async function markRead(ctx: AppContext, key: ConversationKey, upToId: number | undefined, now: number): Promise<number> {
  const q = unread(ctx, key);
  if (upToId !== undefined) q.andWhere('id', '<=', upToId);
  const marked = await q.update({ read_at: now, updated_at: now });
  if (marked > 0) changed(ctx, key.portalId);
  return marked;
}

export async function setRetryKey(ctx: AppContext, portalId: number, messageId: number, retryKey: string): Promise<void> {
  await byId(ctx.db, portalId, messageId).update({ retry_key: retryKey });
}

/** Claims a failed send, or one left 'sending' since before `staleBefore`, for a retry; false when another claim won. */
export async function claimForRetry(ctx: AppContext, portalId: number, messageId: number, staleBefore: number, now: number): Promise<boolean> {
  const claimed = await byId(ctx.db, portalId, messageId)
    .andWhere((w) => w.where('status', 'failed').orWhere((s) => s.where('status', 'sending').andWhere('updated_at', '<', staleBefore)))
    .update({ status: 'sending', error: null, updated_at: now });
  if (claimed === 1) changed(ctx, portalId);
  return claimed === 1;
}

export async function markSent(ctx: AppContext, portalId: number, messageId: number, sent: { lineMessageId: string | null; quoteToken: string | null; at: number }, db: Knex = ctx.db): Promise<void> {
  await byId(db, portalId, messageId).update({
    status: 'sent',
    error: null,
    line_message_id: sent.lineMessageId,
    quote_token: sent.quoteToken,
    sent_at: sent.at,
    updated_at: sent.at,
  });
  changed(ctx, portalId, db);
}

export async function markFailed(ctx: AppContext, portalId: number, messageId: number, reason: string, now: number): Promise<void> {
  await byId(ctx.db, portalId, messageId).update({ status: 'failed', error: reason, updated_at: now });
  changed(ctx, portalId);
}

/** The user unsent the message: its text and content are dropped, only its type is kept. */
export async function markUnsent(ctx: AppContext, portalId: number, messageId: number, payload: string, at: number): Promise<void> {
  await byId(ctx.db, portalId, messageId).update({ status: 'unsent', unsent_at: at, text: null, payload, updated_at: Date.now() });
  changed(ctx, portalId);
}

/** The user edited the message; an unsent message stays unsent. */
export async function replaceContent(ctx: AppContext, portalId: number, messageId: number, text: string, payload: string): Promise<void> {
  await byId(ctx.db, portalId, messageId).whereNot('status', 'unsent').update({ text, payload, updated_at: Date.now() });
  changed(ctx, portalId);
}

/** Columns the timeline reads, by ids of one portal. */
export async function messagesByIds<C extends keyof MessageRow>(ctx: AppContext, portalId: number, ids: number[], columns: C[]): Promise<Array<Pick<MessageRow, C>>> {
  return (await ctx.db('messages').where({ portal_id: portalId }).whereIn('id', ids).select(columns)) as Array<Pick<MessageRow, C>>;
}

/** The messages of one conversation since `since`, oldest first; failed sends are left out. */
export async function sessionMessages<C extends keyof MessageRow>(ctx: AppContext, key: ConversationKey, since: number, limit: number, columns: C[]): Promise<Array<Pick<MessageRow, C>>> {
  return (await conversationMessages(ctx.db, key)
    .whereIn('status', ['received', 'sent', 'unsent'])
    .where('created_at', '>=', since)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit)
    .select(columns)) as Array<Pick<MessageRow, C>>;
}
