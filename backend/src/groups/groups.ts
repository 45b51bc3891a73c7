// The LINE groups and rooms an account's bot is in (line_groups): the only code that reads or changes
// them. A group carries what LINE's group summary says, its link to a HubSpot company and its latest
// reply token. Every query is scoped by portal and account.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';
import { isUniqueViolation } from '../db/constraint-errors.ts';

/** One group of one LINE account. */
export interface GroupKey {
  portalId: number;
  accountId: number;
  groupId: string;
}

export type GroupLinkVia = 'auto_created' | 'card';

export interface GroupRecord extends GroupKey {
  /** line_groups.id */
  id: number;
  kind: 'group' | 'room';
  name: string | null;
  pictureUrl: string | null;
  memberCount: number | null;
  summaryFetchedAt: number | null;
  joinedAt: number | null;
  /** Set once the bot left (or was removed from) the group; null while it is in it. */
  leftAt: number | null;
  companyId: number | null;
  linkedAt: number | null;
  linkedVia: GroupLinkVia | null;
  companyCreateStartedAt: number | null;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function groupFromRow(row: Row): GroupRecord {
  return {
    id: Number(row.id),
    portalId: Number(row.portal_id),
    accountId: Number(row.line_account_id),
    groupId: String(row.group_id),
    kind: row.kind === 'room' ? 'room' : 'group',
    name: (row.group_name as string | null) ?? null,
    pictureUrl: (row.picture_url as string | null) ?? null,
    memberCount: num(row.member_count),
    summaryFetchedAt: num(row.summary_fetched_at),
    joinedAt: num(row.joined_at),
    leftAt: num(row.left_at),
    companyId: num(row.company_id),
    linkedAt: num(row.linked_at),
    linkedVia: (row.linked_via as GroupLinkVia | null) ?? null,
    companyCreateStartedAt: num(row.company_create_started_at),
  };
}

const groupsOf = (db: Knex, portalId: number, accountId: number) => db('line_groups').where({ portal_id: portalId, line_account_id: accountId });
const groupRow = (db: Knex, key: GroupKey) => groupsOf(db, key.portalId, key.accountId).andWhere({ group_id: key.groupId });

/** The bot joined (or left) a group or room; a group first seen through a message is recorded the same way. */
export async function recordBotInGroup(ctx: AppContext, key: GroupKey, kind: 'group' | 'room', joined: boolean, at: number): Promise<void> {
  // A bot out of the group can no longer reply there: its reply token goes with it.
  const changes = joined ? { joined_at: at, left_at: null } : { left_at: at, reply_token: null, reply_token_expires_at: null };
  await ctx.db('line_groups')
    .insert({ portal_id: key.portalId, line_account_id: key.accountId, group_id: key.groupId, kind, ...changes, updated_at: nowMs() })
    .onConflict(['line_account_id', 'group_id'])
    .merge({ ...changes, updated_at: nowMs() });
}

/** A group the bot has not been told it joined (a message came first, or the join event was lost): recorded as in it. */
export async function ensureGroup(ctx: AppContext, key: GroupKey, kind: 'group' | 'room', at: number): Promise<GroupRecord> {
  await ctx.db('line_groups')
    .insert({ portal_id: key.portalId, line_account_id: key.accountId, group_id: key.groupId, kind, joined_at: at, updated_at: nowMs() })
    .onConflict(['line_account_id', 'group_id'])
    .ignore();
  return (await findGroup(ctx, key))!;
}

export async function findGroup(ctx: AppContext, key: GroupKey): Promise<GroupRecord | undefined> {
  const row = await groupRow(ctx.db, key).first();
  return row ? groupFromRow(row) : undefined;
}

/** The group of an account linked to a company (a company holds at most one group of each account). */
export async function findGroupOfCompany(ctx: AppContext, portalId: number, accountId: number, companyId: number): Promise<GroupRecord | undefined> {
  const row = await groupsOf(ctx.db, portalId, accountId).andWhere({ company_id: companyId }).first();
  return row ? groupFromRow(row) : undefined;
}

/** The groups of every account of the portal linked to a company. */
export async function findGroupsOfCompany(ctx: AppContext, portalId: number, companyId: number): Promise<GroupRecord[]> {
  const rows: Row[] = await ctx.db('line_groups').where({ portal_id: portalId, company_id: companyId }).orderBy('line_account_id');
  return rows.map(groupFromRow);
}

/** The account's groups (not rooms) that the bot is in and that no company holds yet, newest first. */
export async function unlinkedGroups(ctx: AppContext, portalId: number, accountId: number, limit = 100): Promise<GroupRecord[]> {
  const rows: Row[] = await groupsOf(ctx.db, portalId, accountId)
    .andWhere({ kind: 'group' })
    .whereNull('company_id')
    .whereNull('left_at')
    .orderBy('updated_at', 'desc')
    .limit(limit);
  return rows.map(groupFromRow);
}

export type LinkOutcome = 'linked' | 'group_already_linked' | 'company_already_linked' | 'no_such_group';

/**
 * Links a group to a company. A group is never linked twice: only a group without a company takes one
 * (a conditional update, so two agents picking at once cannot both win), and the unique index on
 * (line_account_id, company_id) refuses a second group of the same account for one company.
 */
export async function linkGroup(ctx: AppContext, key: GroupKey, companyId: number, via: GroupLinkVia, at = nowMs()): Promise<LinkOutcome> {
  try {
    const updated = await groupRow(ctx.db, key).whereNull('company_id').update({ company_id: companyId, linked_at: at, linked_via: via, company_create_started_at: null, updated_at: nowMs() });
    if (updated === 1) {
      ctx.changes.notify(key.portalId);
      return 'linked';
    }
  } catch (error) {
    if (isUniqueViolation(error)) return 'company_already_linked';
    throw error;
  }
  const group = await findGroup(ctx, key);
  if (!group) return 'no_such_group';
  return group.companyId === companyId ? 'linked' : 'group_already_linked';
}

/** Removes a group's company link; answers whether it was linked to `companyId` (when given) or at all. */
export async function unlinkGroup(ctx: AppContext, key: GroupKey, companyId?: number): Promise<boolean> {
  const q = groupRow(ctx.db, key).whereNotNull('company_id');
  if (companyId !== undefined) q.andWhere({ company_id: companyId });
  const updated = await q.update({ company_id: null, linked_at: null, linked_via: null, updated_at: nowMs() });
  if (updated === 1) ctx.changes.notify(key.portalId);
  return updated === 1;
}

/** Set just before a company is created for the group, so a retry after a crash looks for that company first. */
export async function markCompanyCreateStarted(ctx: AppContext, key: GroupKey, at: number | null): Promise<void> {
  await groupRow(ctx.db, key).update({ company_create_started_at: at, updated_at: nowMs() });
}

export interface GroupSummary {
  name: string | null;
  pictureUrl: string | null;
  memberCount: number | null;
}

/** What LINE's group summary and member count say now. */
export async function saveGroupSummary(ctx: AppContext, key: GroupKey, summary: Partial<GroupSummary>, at: number): Promise<void> {
  const changes: Row = { summary_fetched_at: at, updated_at: nowMs() };
  if (summary.name !== undefined) changes.group_name = summary.name;
  if (summary.pictureUrl !== undefined) changes.picture_url = summary.pictureUrl;
  if (summary.memberCount !== undefined) changes.member_count = summary.memberCount;
  await groupRow(ctx.db, key).update(changes);
}

/** LINE accepts a reply token for about a minute after the event; it is offered a little less long. */
export const GROUP_REPLY_TOKEN_LIFETIME_MS = 55_000;

/** Remembers the group's newest reply token (not of redelivered or standby events: their lifetime is unknown or nil). */
export async function storeGroupReplyToken(ctx: AppContext, key: GroupKey, token: string, eventAt: number, now = Date.now()): Promise<boolean> {
  const expiresAt = eventAt + GROUP_REPLY_TOKEN_LIFETIME_MS;
  if (expiresAt <= now) return false;
  const updated = await groupRow(ctx.db, key)
    .andWhere((w) => w.whereNull('reply_token_expires_at').orWhere('reply_token_expires_at', '<', expiresAt))
    .update({ reply_token: token, reply_token_expires_at: expiresAt });
  return updated === 1;
}

/**
 * Takes the group's reply token at most once: clearing it is the claim, so two sends never use one
 * token. A token expiring within `marginMs` is left alone (a reply must reach LINE while it is valid).
 */
export async function takeGroupReplyToken(ctx: AppContext, key: GroupKey, marginMs: number, now = Date.now()): Promise<string | undefined> {
  const row = await groupRow(ctx.db, key).whereNotNull('reply_token').andWhere('reply_token_expires_at', '>', now + marginMs).first('reply_token');
  if (!row) return undefined;
  const claimed = await groupRow(ctx.db, key).andWhere({ reply_token: row.reply_token }).update({ reply_token: null, reply_token_expires_at: null });
  return claimed === 1 ? String(row.reply_token) : undefined;
}
