// Reading and writing connected LINE accounts, with their secrets opened on read and sealed on write.
// Every lookup by id is scoped by portal.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import type { DirectConnection } from '../db/direct-transaction.ts';
import { resealColumns, unknownKeyIds, type ResealCount, type SealedColumns } from '../crypto/reseal-table.ts';

export type TimelineMode = 'app_events' | 'notes' | 'off';

export interface LineAccount {
  id: number;
  portalId: number;
  sequence: number;
  channelId: string;
  botUserId: string;
  basicId: string | null;
  displayName: string;
  pictureUrl: string | null;
  channelSecret: string;
  channelAccessToken: string;
  webhookKey: string;
  webhookVerifiedAt: number | null;
  webhookTestResult: string | null;
  lastEventAt: number | null;
  loginKey: string;
  loginChannelId: string | null;
  loginChannelSecret: string | null;
  liffId: string | null;
  loginRedirectUrl: string | null;
  loginRequireEmail: boolean;
  autoCreateContacts: boolean;
  /** A group the account joins gets a new company named after it (otherwise an agent links one on the company card). */
  autoCreateCompanies: boolean;
  ownerTasks: boolean;
  timelineMode: TimelineMode;
  createdAt: number;
  updatedAt: number;
}

type SealedField = 'channel_secret' | 'channel_access_token' | 'login_channel_secret';

/** Associated data binding a sealed secret to its account and field, so a ciphertext cannot be moved. */
export function secretContext(channelId: string, field: SealedField): string {
  return `line_accounts:${channelId}:${field}`;
}

type Row = Record<string, unknown>;

/** What reading and writing accounts needs: the database and the key that seals their secrets. */
export type AccountStore = Pick<AppContext, 'db' | 'secrets'>;

const sealedAccountColumns: SealedColumns = {
  table: 'line_accounts',
  key: 'id',
  columns: ['channel_secret', 'channel_access_token', 'login_channel_secret'] satisfies SealedField[],
  contextColumns: ['channel_id'],
  context: (row, column) => secretContext(String(row.channel_id), column as SealedField),
};

/** Re-seals the accounts' secrets sealed with an older key (after a key rotation). */
export function resealAccountSecrets(ctx: AppContext): Promise<ResealCount> {
  return resealColumns(ctx.db, ctx.secrets, sealedAccountColumns);
}

/** Keys that sealed stored account secrets and are no longer configured. */
export function accountSecretKeysMissing(ctx: AppContext): Promise<string[]> {
  return unknownKeyIds(ctx.db, ctx.secrets, sealedAccountColumns);
}

export function accountFromRow(ctx: AccountStore, row: Row): LineAccount {
  const channelId = String(row.channel_id);
  const open = (field: SealedField) =>
    row[field] ? ctx.secrets.open(String(row[field]), secretContext(channelId, field)) : null;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(row.id),
    portalId: Number(row.portal_id),
    sequence: Number(row.sequence),
    channelId,
    botUserId: String(row.bot_user_id),
    basicId: (row.basic_id as string | null) ?? null,
    displayName: String(row.display_name),
    pictureUrl: (row.picture_url as string | null) ?? null,
    channelSecret: open('channel_secret')!,
    channelAccessToken: open('channel_access_token')!,
    webhookKey: String(row.webhook_key),
    webhookVerifiedAt: num(row.webhook_verified_at),
    webhookTestResult: (row.webhook_test_result as string | null) ?? null,
    lastEventAt: num(row.last_event_at),
    loginKey: String(row.login_key),
    loginChannelId: (row.login_channel_id as string | null) ?? null,
    loginChannelSecret: open('login_channel_secret'),
    liffId: (row.liff_id as string | null) ?? null,
    loginRedirectUrl: (row.login_redirect_url as string | null) ?? null,
    loginRequireEmail: Boolean(row.login_require_email),
    autoCreateContacts: Boolean(row.auto_create_contacts),
    autoCreateCompanies: Boolean(row.auto_create_companies),
    ownerTasks: Boolean(row.owner_tasks),
    timelineMode: String(row.timeline_mode) as TimelineMode,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function findAccountByWebhookKey(ctx: AppContext, webhookKey: string): Promise<LineAccount | undefined> {
  const row = await ctx.db('line_accounts').where({ webhook_key: webhookKey }).first();
  return row ? accountFromRow(ctx, row) : undefined;
}

/** What a login link's QR code encodes, by login key. Selects no secret column, so public routes decrypt nothing. */
export async function findLoginLink(ctx: AppContext, loginKey: string): Promise<{ loginKey: string; liffId: string | null } | undefined> {
  const row = await ctx.db('line_accounts').where({ login_key: loginKey }).first('login_key', 'liff_id');
  return row ? { loginKey: String(row.login_key), liffId: (row.liff_id as string | null) ?? null } : undefined;
}

/** The account a LINE Login link belongs to, secrets opened: for the login flow, which needs the Login channel's. */
export async function findAccountByLoginKey(ctx: AppContext, loginKey: string): Promise<LineAccount | undefined> {
  const row = await ctx.db('line_accounts').where({ login_key: loginKey }).first();
  return row ? accountFromRow(ctx, row) : undefined;
}

export async function findAccount(ctx: AccountStore, portalId: number, accountId: number): Promise<LineAccount | undefined> {
  const row = await ctx.db('line_accounts').where({ portal_id: portalId, id: accountId }).first();
  return row ? accountFromRow(ctx, row) : undefined;
}

export async function listAccounts(ctx: AppContext, portalId: number): Promise<LineAccount[]> {
  const rows = await ctx.db('line_accounts').where({ portal_id: portalId }).orderBy('sequence');
  return rows.map((r: Row) => accountFromRow(ctx, r));
}

/** The id of the portal's account with this property sequence (the suffix of its contact properties). */
export async function findAccountIdBySequence(ctx: AppContext, portalId: number, sequence: number): Promise<number | undefined> {
  const row = await ctx.db('line_accounts').where({ portal_id: portalId, sequence }).first('id');
  return row ? Number(row.id) : undefined;
}

/** What the portal's contact properties are made from: each account's sequence and name (no secret opened). */
export async function accountNames(ctx: AppContext, portalId: number): Promise<Array<{ sequence: number; displayName: string }>> {
  const rows = await ctx.db('line_accounts').where({ portal_id: portalId }).select('sequence', 'display_name');
  return rows.map((r: Row) => ({ sequence: Number(r.sequence), displayName: String(r.display_name) }));
}

/**
 * Records that the accounts received events, in the caller's direct transaction, in one statement; answers the
 * ids of those that still exist (an account removed meanwhile is not among them).
 */
export async function touchLastEvent(conn: DirectConnection, accounts: Array<{ id: number; portalId: number }>, now: number): Promise<Set<number>> {
  const ids = accounts.map((a) => a.id);
  const portalIds = [...new Set(accounts.map((a) => a.portalId))];
  const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const touched = await conn.rows<{ id: number }>(
    `update line_accounts set last_event_at = ? where id in (${placeholders(ids.length)}) and portal_id in (${placeholders(portalIds.length)}) returning id`,
    [now, ...ids, ...portalIds],
  );
  return new Set(touched.map((r) => Number(r.id)));
}

/** The account connected to a LINE channel, in whichever portal: a channel may be connected only once. */
export async function findAccountOwnerByChannelId(ctx: AppContext, channelId: string): Promise<{ id: number; portalId: number } | undefined> {
  const row = await ctx.db('line_accounts').where({ channel_id: channelId }).first('id', 'portal_id');
  return row ? { id: Number(row.id), portalId: Number(row.portal_id) } : undefined;
}

/** The smallest positive sequence number not in `used`: a removed account's property suffix is reused. */
export function lowestFreeSequence(used: number[]): number {
  const taken = new Set(used);
  let sequence = 1;
  while (taken.has(sequence)) sequence += 1;
  return sequence;
}

export interface NewAccount {
  portalId: number;
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  botUserId: string;
  basicId: string | null;
  displayName: string;
  pictureUrl: string | null;
  webhookKey: string;
  loginKey: string;
}

export class ChannelAlreadyConnectedError extends Error {
  constructor(channelId: string) {
    super(`LINE channel ${channelId} is already connected`);
    this.name = 'ChannelAlreadyConnectedError';
  }
}

/** Whether `error` is a unique violation of the line_accounts constraint covering `column`. */
function uniqueViolationOn(error: unknown, column: 'channel_id' | 'sequence'): boolean {
  const e = error as { code?: unknown; message?: unknown; constraint?: unknown };
  // PostgreSQL names the constraint (line_accounts_channel_id_unique, line_accounts_portal_id_sequence_unique).
  if (e?.code === '23505') return typeof e.constraint === 'string' && e.constraint.includes(column);
  // SQLite lists the columns after the marker; the message also holds the SQL, which names every column.
  const failed = typeof e?.message === 'string' ? e.message.split('UNIQUE constraint failed:')[1] : undefined;
  return failed !== undefined && failed.includes(`line_accounts.${column}`);
}

// Concurrent adds in one portal may pick the same free number; the loser retries with the next one.
const SEQUENCE_ATTEMPTS = 20;

/**
 * Inserts an account with the lowest free property sequence of its portal. `inTransaction` runs in the
 * same transaction (e.g. to enqueue the provisioning of its contact properties with it).
 * Throws ChannelAlreadyConnectedError when another row holds the channel.
 */
export async function insertAccount(
  ctx: AccountStore,
  account: NewAccount,
  inTransaction?: (trx: Knex.Transaction, inserted: { id: number; sequence: number }) => Promise<void>,
): Promise<LineAccount> {
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await ctx.db.transaction(async (trx) => {
        const used = (await trx('line_accounts').where({ portal_id: account.portalId }).pluck('sequence')).map(Number);
        const sequence = lowestFreeSequence(used);
        const now = Date.now();
        const seal = (value: string, field: 'channel_secret' | 'channel_access_token') => ctx.secrets.seal(value, secretContext(account.channelId, field));
        const [row] = await trx('line_accounts')
          .insert({
            portal_id: account.portalId,
            sequence,
            channel_id: account.channelId,
            bot_user_id: account.botUserId,
            basic_id: account.basicId,
            display_name: account.displayName,
            picture_url: account.pictureUrl,
            channel_secret: seal(account.channelSecret, 'channel_secret'),
            channel_access_token: seal(account.channelAccessToken, 'channel_access_token'),
            webhook_key: account.webhookKey,
            login_key: account.loginKey,
            created_at: now,
            updated_at: now,
          })
          .returning('id');
        const insertedId = Number(typeof row === 'object' ? row.id : row);
        await inTransaction?.(trx, { id: insertedId, sequence });
        return insertedId;
      });
      return (await findAccount(ctx, account.portalId, id))!;
    } catch (error) {
      if (uniqueViolationOn(error, 'channel_id')) throw new ChannelAlreadyConnectedError(account.channelId);
      if (uniqueViolationOn(error, 'sequence') && attempt < SEQUENCE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** The fields an admin may change; secrets are given in plain text and sealed here. */
export interface AccountChanges {
  channelSecret?: string;
  channelAccessToken?: string;
  botUserId?: string;
  basicId?: string | null;
  displayName?: string;
  pictureUrl?: string | null;
  webhookVerifiedAt?: number | null;
  webhookTestResult?: string | null;
  loginChannelId?: string | null;
  loginChannelSecret?: string | null;
  liffId?: string | null;
  loginRedirectUrl?: string | null;
  loginRequireEmail?: boolean;
  autoCreateContacts?: boolean;
  autoCreateCompanies?: boolean;
  ownerTasks?: boolean;
  timelineMode?: TimelineMode;
}

const COLUMNS: Record<keyof AccountChanges, string> = {
  channelSecret: 'channel_secret',
  channelAccessToken: 'channel_access_token',
  botUserId: 'bot_user_id',
  basicId: 'basic_id',
  displayName: 'display_name',
  pictureUrl: 'picture_url',
  webhookVerifiedAt: 'webhook_verified_at',
  webhookTestResult: 'webhook_test_result',
  loginChannelId: 'login_channel_id',
  loginChannelSecret: 'login_channel_secret',
  liffId: 'liff_id',
  loginRedirectUrl: 'login_redirect_url',
  loginRequireEmail: 'login_require_email',
  autoCreateContacts: 'auto_create_contacts',
  autoCreateCompanies: 'auto_create_companies',
  ownerTasks: 'owner_tasks',
  timelineMode: 'timeline_mode',
};

const SEALED = new Set<keyof AccountChanges>(['channelSecret', 'channelAccessToken', 'loginChannelSecret']);

/** Applies the changes to the portal's account; undefined when it has no such account. */
export async function updateAccount(ctx: AccountStore, portalId: number, accountId: number, changes: AccountChanges): Promise<LineAccount | undefined> {
  const current = await ctx.db('line_accounts').where({ portal_id: portalId, id: accountId }).first('channel_id');
  if (!current) return undefined;
  const row: Record<string, unknown> = { updated_at: Date.now() };
  for (const [key, value] of Object.entries(changes) as Array<[keyof AccountChanges, unknown]>) {
    if (value === undefined) continue;
    const column = COLUMNS[key];
    row[column] = SEALED.has(key) && typeof value === 'string'
      ? ctx.secrets.seal(value, secretContext(String(current.channel_id), column as SealedField))
      : value;
  }
  await ctx.db('line_accounts').where({ portal_id: portalId, id: accountId }).update(row);
  return findAccount(ctx, portalId, accountId);
}

/**
 * Removes the portal's account; its links and messages go with it (foreign keys cascade), and so do its
 * queued and dead jobs, in the same transaction. False when the portal has no such account.
 */
/** Deletes the account (its links, messages and login states go with it by foreign key) and its waiting and failed jobs; null when there is no such account. */
export async function deleteAccount(ctx: AppContext, portalId: number, accountId: number): Promise<{ jobs: number } | null> {
  return ctx.db.transaction(async (trx) => {
    const deleted = await trx('line_accounts').where({ portal_id: portalId, id: accountId }).delete();
    if (deleted === 0) return null;
    return { jobs: await ctx.queue.deleteWaiting({ portalId, lineAccountId: accountId }, trx) };
  });
}
