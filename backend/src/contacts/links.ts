// The LINE user <-> contact link rows (line_links): the only code that reads or changes them, for inbound
// processing, the chat panel and HubSpot's contact events. Every query is scoped by portal.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';

export type FollowStatus = 'following' | 'blocked' | 'unknown';

export interface LinkRecord {
  id: number;
  portalId: number;
  accountId: number;
  lineUserId: string;
  contactId: number | null;
  displayName: string | null;
  pictureUrl: string | null;
  followStatus: FollowStatus;
  friendAddedAt: number | null;
  profileRefreshedAt: number | null;
  linkedAt: number | null;
  linkedVia: string | null;
  contactCreateStartedAt: number | null;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function linkRecordFromRow(row: Row): LinkRecord {
  const status = String(row.follow_status);
  return {
    id: Number(row.id),
    portalId: Number(row.portal_id),
    accountId: Number(row.line_account_id),
    lineUserId: String(row.line_user_id),
    contactId: num(row.contact_id),
    displayName: (row.display_name as string | null) ?? null,
    pictureUrl: (row.picture_url as string | null) ?? null,
    followStatus: status === 'following' || status === 'blocked' ? status : 'unknown',
    friendAddedAt: num(row.friend_added_at),
    profileRefreshedAt: num(row.profile_refreshed_at),
    linkedAt: num(row.linked_at),
    linkedVia: (row.linked_via as string | null) ?? null,
    contactCreateStartedAt: num(row.contact_create_started_at),
  };
}

/** The link of each LINE user on the account, created (without a contact) where missing. */
export async function ensureLinks(ctx: AppContext, account: LineAccount, lineUserIds: string[], db: Knex = ctx.db): Promise<Map<string, LinkRecord>> {
  const unique = [...new Set(lineUserIds)];
  if (unique.length === 0) return new Map();
  const now = nowMs();
  for (let i = 0; i < unique.length; i += 200) {
    await db('line_links')
      .insert(unique.slice(i, i + 200).map((lineUserId) => ({ portal_id: account.portalId, line_account_id: account.id, line_user_id: lineUserId, created_at: now, updated_at: now })))
      .onConflict(['line_account_id', 'line_user_id'])
      .ignore();
  }
  return loadLinks(ctx, account, unique, db);
}

export async function loadLinks(ctx: AppContext, account: LineAccount, lineUserIds: string[], db: Knex = ctx.db): Promise<Map<string, LinkRecord>> {
  const links = new Map<string, LinkRecord>();
  for (let i = 0; i < lineUserIds.length; i += 500) {
    const rows = await db('line_links')
      .where({ portal_id: account.portalId, line_account_id: account.id })
      .whereIn('line_user_id', lineUserIds.slice(i, i + 500));
    for (const row of rows) links.set(String(row.line_user_id), linkRecordFromRow(row));
  }
  return links;
}

export async function loadLinksById(ctx: AppContext, portalId: number, linkIds: number[]): Promise<LinkRecord[]> {
  const out: LinkRecord[] = [];
  for (let i = 0; i < linkIds.length; i += 500) {
    const rows = await ctx.db('line_links').where({ portal_id: portalId }).whereIn('id', linkIds.slice(i, i + 500));
    out.push(...rows.map(linkRecordFromRow));
  }
  return out;
}

export interface LinkChanges {
  contact_id?: number | null;
  display_name?: string | null;
  picture_url?: string | null;
  follow_status?: FollowStatus;
  friend_added_at?: number | null;
  profile_refreshed_at?: number | null;
  linked_at?: number | null;
  linked_via?: string | null;
  contact_create_started_at?: number | null;
}

export async function updateLink(ctx: AppContext, link: Pick<LinkRecord, 'id' | 'portalId'>, changes: LinkChanges, db: Knex = ctx.db): Promise<void> {
  await db('line_links').where({ id: link.id, portal_id: link.portalId }).update({ ...changes, updated_at: nowMs() });
}

/**
 * Gives a link without a contact the contact found or created for it: false, and nothing written, when the
 * link got a contact meanwhile (a rep linked it by hand), which it keeps (link-rule.ts: filled, never moved).
 */
export async function fillContactOfLink(ctx: AppContext, link: Pick<LinkRecord, 'id' | 'portalId'>, changes: LinkChanges & { contact_id: number }): Promise<boolean> {
  const filled = await ctx.db('line_links').where({ id: link.id, portal_id: link.portalId }).whereNull('contact_id').update({ ...changes, updated_at: nowMs() });
  return filled === 1;
}

/** The LINE user linked to a contact on an account (the most recently linked one if several are). */
export async function findLinkOfContact(ctx: AppContext, portalId: number, accountId: number, contactId: number): Promise<LinkRecord | undefined> {
  return (await findLinksOfContacts(ctx, portalId, accountId, [contactId])).get(contactId);
}

/** findLinkOfContact for many contacts at once: each contact's most recently linked LINE user on the account. */
export async function findLinksOfContacts(ctx: AppContext, portalId: number, accountId: number, contactIds: number[]): Promise<Map<number, LinkRecord>> {
  const links = new Map<number, LinkRecord>();
  for (let i = 0; i < contactIds.length; i += 500) {
    const rows = await ctx.db('line_links')
      .where({ portal_id: portalId, line_account_id: accountId })
      .whereIn('contact_id', contactIds.slice(i, i + 500))
      .orderBy([{ column: 'linked_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    for (const row of rows) {
      const link = linkRecordFromRow(row);
      if (link.contactId !== null && !links.has(link.contactId)) links.set(link.contactId, link);
    }
  }
  return links;
}

/** The LINE users linked to a contact on an account. */
export async function linkedLineUserIds(ctx: AppContext, portalId: number, accountId: number, contactId: number): Promise<string[]> {
  return (await ctx.db('line_links').where({ portal_id: portalId, line_account_id: accountId, contact_id: contactId }).pluck('line_user_id')) as string[];
}

/** Which of these contacts have LINE links here. */
export async function contactsWithLinks(ctx: AppContext, portalId: number, contactIds: number[]): Promise<Set<number>> {
  const rows = (await ctx.db('line_links').where({ portal_id: portalId }).whereIn('contact_id', contactIds).distinct('contact_id')) as Array<{ contact_id: unknown }>;
  return new Set(rows.map((r) => Number(r.contact_id)));
}

const unlinked = (now: number) => ({ contact_id: null, linked_at: null, linked_via: null, updated_at: now });

/** The contact's links (on one account, with `accountId`) keep their LINE users, linked to no contact. */
export async function unlinkContact(ctx: AppContext, portalId: number, contactId: number, accountId?: number): Promise<number> {
  const where = { portal_id: portalId, contact_id: contactId, ...(accountId === undefined ? {} : { line_account_id: accountId }) };
  return ctx.db('line_links').where(where).update(unlinked(Date.now()));
}

/** The portals whose links changed at or after `since` (epoch ms), written by any process, with the latest change. */
export async function portalsWithLinksChangedSince(ctx: AppContext, since: number): Promise<Array<{ portalId: number; lastChangeAt: number }>> {
  const rows: Array<{ portal_id: unknown; last: unknown }> = await ctx.db('line_links').where('updated_at', '>=', since).groupBy('portal_id').select('portal_id').max({ last: 'updated_at' });
  return rows.map((r) => ({ portalId: Number(r.portal_id), lastChangeAt: Number(r.last) }));
}

/** Moves the links of contacts `from` to contact `to`. */
export async function moveLinks(ctx: AppContext, portalId: number, from: number[], to: number): Promise<number> {
  return ctx.db('line_links').where({ portal_id: portalId }).whereIn('contact_id', from).update({ contact_id: to, updated_at: Date.now() });
}
