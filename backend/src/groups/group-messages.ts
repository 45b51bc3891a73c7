// The conversation log of group chats (group_messages): the only code that reads or writes it. Inbound
// messages carry their sender (a member); outbound ones their delivery state (sending → sent | failed,
// by reply or push). Every lookup by id is scoped by portal; every write tells waiting chat panels.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { insertReturningIds, insertedId } from '../db/inserted-ids.ts';
import type { GroupKey } from './groups.ts';

export type GroupMessageStatus = 'received' | 'sending' | 'sent' | 'failed' | 'unsent';

export type GroupMessageRow = {
  id: number;
  portal_id: number;
  line_account_id: number;
  group_id: string;
  direction: 'inbound' | 'outbound';
  /** The member who wrote an inbound message; null for outbound. */
  line_user_id: string | null;
  type: string;
  /** Text, or the summary shown for other message types. */
  text: string | null;
  /** The LINE message object (JSON). */
  payload: string;
  line_message_id: string | null;
  quote_token: string | null;
  webhook_event_id: string | null;
  status: GroupMessageStatus;
  error: string | null;
  retry_key: string | null;
  sent_via: 'reply' | 'push' | null;
  /** user:<hubspotUserId> | workflow:<callbackId> */
  sent_by: string | null;
  sender_name: string | null;
  client_message_id: string | null;
  created_at: number;
  sent_at: number | null;
  unsent_at: number | null;
  updated_at: number;
};

export interface NewInboundGroupMessage extends GroupKey {
  lineUserId: string | null;
  type: string;
  text: string | null;
  payload: string;
  lineMessageId: string;
  quoteToken: string | null;
  webhookEventId: string | null;
  createdAt: number;
}

export interface NewOutboundGroupMessage extends GroupKey {
  type: string;
  text: string | null;
  payload: string;
  status: GroupMessageStatus;
  /** user:<hubspotUserId> | workflow:<callbackId> */
  sentBy: string;
  senderName: string | null;
  createdAt: number;
  retryKey?: string | null;
  /** The chat panel's id of the message (unique per portal): a repeated send finds the stored message. */
  clientMessageId?: string | null;
}

/** Tells waiting chat panels of the portal, now or once `db`'s transaction commits. */
function changed(ctx: AppContext, portalId: number, db: Knex = ctx.db): void {
  const notify = () => ctx.changes.notify(portalId);
  if (db.isTransaction) (db as Knex.Transaction).executionPromise.then(notify, () => undefined);
  else notify();
}

const ofGroup = (db: Knex, key: GroupKey) => db('group_messages').where({ portal_id: key.portalId, line_account_id: key.accountId, group_id: key.groupId });
const byId = (db: Knex, portalId: number, id: number) => db('group_messages').where({ portal_id: portalId, id });
/** Stores a received message once (LINE may deliver an event again); answers the stored row's id and status. */
export async function insertInboundGroupMessage(ctx: AppContext, m: NewInboundGroupMessage): Promise<{ id: number; status: GroupMessageStatus; inserted: boolean }> {
  const inserted = (await ctx.db('group_messages')
    .insert({
      portal_id: m.portalId,
      line_account_id: m.accountId,
      group_id: m.groupId,
      direction: 'inbound',
      line_user_id: m.lineUserId,
      type: m.type,
      text: m.text,
      payload: m.payload,
      line_message_id: m.lineMessageId,
      quote_token: m.quoteToken,
      webhook_event_id: m.webhookEventId,
      status: 'received',
      created_at: m.createdAt,
      updated_at: Date.now(),
    })
    .onConflict(['line_account_id', 'line_message_id'])
    .ignore()
    .returning('id')) as unknown[];
  changed(ctx, m.portalId);
  const row = await ctx.db('group_messages').where({ portal_id: m.portalId, line_account_id: m.accountId, line_message_id: m.lineMessageId }).first('id', 'status');
  return { id: Number(row.id), status: row.status as GroupMessageStatus, inserted: inserted.length > 0 };
}

function outboundRow(m: NewOutboundGroupMessage) {
  return {
    portal_id: m.portalId,
    line_account_id: m.accountId,
    group_id: m.groupId,
    direction: 'outbound',
    line_user_id: null,
    type: m.type,
    text: m.text,
    payload: m.payload,
    status: m.status,
    sent_by: m.sentBy,
    sender_name: m.senderName,
    retry_key: m.retryKey ?? null,
    client_message_id: m.clientMessageId ?? null,
    created_at: m.createdAt,
    updated_at: m.createdAt,
  };
}

/** Stores outbound messages (in `db`, a transaction, when given); answers their ids in the same order. */
export async function insertOutboundGroupMessages(ctx: AppContext, messages: NewOutboundGroupMessage[], db: Knex = ctx.db): Promise<number[]> {
  const ids = await insertReturningIds(db, 'group_messages', messages.map(outboundRow));
  for (const portalId of new Set(messages.map((m) => m.portalId))) changed(ctx, portalId, db);
  return ids;
}

/** Stores a message the chat panel sends; answers its id, or undefined when the portal already has its client id. */
export async function insertGroupChatMessage(ctx: AppContext, m: NewOutboundGroupMessage & { clientMessageId: string }): Promise<number | undefined> {
  const [inserted] = (await ctx.db('group_messages').insert(outboundRow(m)).onConflict(['portal_id', 'client_message_id']).ignore().returning('id')) as unknown[];
  if (inserted === undefined) return undefined;
  changed(ctx, m.portalId);
  return insertedId(inserted);
}

export async function findGroupMessage(ctx: AppContext, portalId: number, id: number): Promise<GroupMessageRow | undefined> {
  return byId(ctx.db, portalId, id).first();
}

export async function findGroupMessageByClientId(ctx: AppContext, portalId: number, clientMessageId: string): Promise<GroupMessageRow | undefined> {
  return ctx.db('group_messages').where({ portal_id: portalId, client_message_id: clientMessageId }).first();
}

/** A member's message by LINE's message id (what unsend events name). */
export async function findInboundGroupMessage(ctx: AppContext, key: GroupKey, lineMessageId: string): Promise<GroupMessageRow | undefined> {
  return ofGroup(ctx.db, key).andWhere({ line_message_id: lineMessageId, direction: 'inbound' }).first();
}

/** Up to `limit` messages older than `before` (the newest page when absent), oldest first; hasMore when older ones exist. */
export async function groupHistoryPage(ctx: AppContext, key: GroupKey, options: { before?: number; limit: number }): Promise<{ rows: GroupMessageRow[]; hasMore: boolean }> {
  const q = ofGroup(ctx.db, key).orderBy('id', 'desc').limit(options.limit + 1);
  if (options.before !== undefined) q.andWhere('id', '<', options.before);
  const rows = (await q) as GroupMessageRow[];
  return { rows: rows.slice(0, options.limit).reverse(), hasMore: rows.length > options.limit };
}

/** Messages after the cursor `afterId`, and older ones whose state changed at or after `since`; oldest first, at most 200. */
export async function groupMessagesAfter(ctx: AppContext, key: GroupKey, afterId: number, since?: number): Promise<GroupMessageRow[]> {
  return (await ofGroup(ctx.db, key)
    .andWhere((w) => {
      w.where('id', '>', afterId);
      if (since !== undefined) w.orWhere('updated_at', '>=', since);
    })
    .orderBy('id', 'asc')
    .limit(200)) as GroupMessageRow[];
}

/** The newest message of each of the account's groups among `groupIds` (for the list of groups to link). */
export async function lastGroupMessages(ctx: AppContext, portalId: number, accountId: number, groupIds: string[]): Promise<Map<string, GroupMessageRow>> {
  const last = new Map<string, GroupMessageRow>();
  if (groupIds.length === 0) return last;
  const newest = ctx.db('group_messages').where({ portal_id: portalId, line_account_id: accountId }).whereIn('group_id', groupIds.slice(0, 500)).whereNot('status', 'failed').groupBy('group_id').max('id');
  const rows = (await ctx.db('group_messages').where({ portal_id: portalId }).whereIn('id', newest)) as GroupMessageRow[];
  for (const row of rows) last.set(row.group_id, row);
  return last;
}

export async function setGroupMessageRetryKey(ctx: AppContext, portalId: number, id: number, retryKey: string): Promise<void> {
  await byId(ctx.db, portalId, id).update({ retry_key: retryKey });
}

/** Claims a failed send, or one left 'sending' since before `staleBefore`, for a retry; false when another claim won. */
export async function claimGroupMessageForRetry(ctx: AppContext, portalId: number, id: number, staleBefore: number, now: number): Promise<boolean> {
  const claimed = await byId(ctx.db, portalId, id)
    .andWhere((w) => w.where('status', 'failed').orWhere((s) => s.where('status', 'sending').andWhere('updated_at', '<', staleBefore)))
    .update({ status: 'sending', error: null, updated_at: now });
  if (claimed === 1) changed(ctx, portalId);
  return claimed === 1;
}

export async function markGroupMessageSent(ctx: AppContext, portalId: number, id: number, sent: { lineMessageId: string | null; quoteToken: string | null; via: 'reply' | 'push'; at: number }, db: Knex = ctx.db): Promise<void> {
  await byId(db, portalId, id).update({ status: 'sent', error: null, line_message_id: sent.lineMessageId, quote_token: sent.quoteToken, sent_via: sent.via, sent_at: sent.at, updated_at: sent.at });
  changed(ctx, portalId, db);
}

export async function markGroupMessageFailed(ctx: AppContext, portalId: number, id: number, reason: string, now: number): Promise<void> {
  await byId(ctx.db, portalId, id).update({ status: 'failed', error: reason, updated_at: now });
  changed(ctx, portalId);
}

/** The member unsent the message: its text and content are dropped, only its type is kept. */
export async function markGroupMessageUnsent(ctx: AppContext, portalId: number, id: number, payload: string, at: number): Promise<void> {
  await byId(ctx.db, portalId, id).update({ status: 'unsent', unsent_at: at, text: null, payload, updated_at: Date.now() });
  changed(ctx, portalId);
}

/** The member edited the message; an unsent message stays unsent. */
export async function replaceGroupMessageContent(ctx: AppContext, portalId: number, id: number, text: string, payload: string): Promise<void> {
  await byId(ctx.db, portalId, id).whereNot('status', 'unsent').update({ text, payload, updated_at: Date.now() });
  changed(ctx, portalId);
}

/** The portals whose group logs changed at or after `since`, written by any process (for waiting chat panels). */
export async function groupPortalsChangedSince(ctx: AppContext, since: number): Promise<Array<{ portalId: number; lastChangeAt: number }>> {
  const rows: Array<{ portal_id: unknown; last: unknown }> = await ctx.db('group_messages').where('updated_at', '>=', since).groupBy('portal_id').select('portal_id').max({ last: 'updated_at' });
  return rows.map((r) => ({ portalId: Number(r.portal_id), lastChangeAt: Number(r.last) }));
}

/** The group's messages since `since` (a timeline note session), oldest first; failed and unfinished sends are left out. */
export async function groupSessionMessages(ctx: AppContext, key: GroupKey, since: number, limit = 200): Promise<GroupMessageRow[]> {
  return (await ofGroup(ctx.db, key)
    .whereIn('status', ['received', 'sent', 'unsent'])
    .where('created_at', '>=', since)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit)) as GroupMessageRow[];
}

/** The portal's group messages among `ids` (what a sync job was asked to look at). */
export async function groupMessagesByIds(ctx: AppContext, portalId: number, ids: number[]): Promise<GroupMessageRow[]> {
  if (ids.length === 0) return [];
  return (await ctx.db('group_messages').where({ portal_id: portalId }).whereIn('id', ids.slice(0, 500)).orderBy('id')) as GroupMessageRow[];
}

/** Every member who has written in the group (for a group just linked to a company). */
export async function groupSpeakers(ctx: AppContext, key: GroupKey): Promise<string[]> {
  const rows: Array<{ line_user_id: unknown }> = await ofGroup(ctx.db, key).where('direction', 'inbound').whereNotNull('line_user_id').distinct('line_user_id');
  return rows.map((r) => String(r.line_user_id));
}
