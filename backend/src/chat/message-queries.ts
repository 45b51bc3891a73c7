// Reading a conversation's messages: pages of history (cursor = message id) and what changed since a poll.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';

export interface ConversationKey {
  portalId: number;
  accountId: number;
  lineUserId: string;
}

type Row = Record<string, unknown>;

function conversationMessages(db: Knex, key: ConversationKey): Knex.QueryBuilder {
  return db('messages').where({ portal_id: key.portalId, line_account_id: key.accountId, line_user_id: key.lineUserId });
}

/** Up to `limit` messages older than `before` (newest page when absent), oldest first; hasMore when older ones exist. */
export async function historyPage(ctx: AppContext, key: ConversationKey, options: { before?: number; limit: number }): Promise<{ rows: Row[]; hasMore: boolean }> {
  const q = conversationMessages(ctx.db, key).orderBy('id', 'desc').limit(options.limit + 1);
  if (options.before !== undefined) q.andWhere('id', '<', options.before);
  const rows = (await q) as Row[];
  const hasMore = rows.length > options.limit;
  return { rows: rows.slice(0, options.limit).reverse(), hasMore };
}

/** Messages newer than `afterId`, and older ones whose state changed at or after `since` (sent, failed, read, unsent). */
export async function changedMessages(ctx: AppContext, key: ConversationKey, afterId: number, since: number | undefined): Promise<Row[]> {
  const q = conversationMessages(ctx.db, key)
    .andWhere((w) => {
      w.where('id', '>', afterId);
      if (since !== undefined) w.orWhere('updated_at', '>=', since).orWhere('unsent_at', '>=', since);
    })
    .orderBy('id', 'asc')
    .limit(200);
  return (await q) as Row[];
}

export async function latestMessageId(ctx: AppContext, key: ConversationKey): Promise<number> {
  const row = await conversationMessages(ctx.db, key).max({ id: 'id' }).first();
  return Number(row?.id ?? 0);
}

export async function findMessage(ctx: AppContext, key: ConversationKey, messageId: number): Promise<Row | undefined> {
  return conversationMessages(ctx.db, key).andWhere('id', messageId).first();
}
