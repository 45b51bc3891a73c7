// The 1:1 conversation behind a contact's chat panel: one connected LINE account of the caller's portal
// and the LINE user linked to the contact on it. Every chat endpoint starts here, so every query is portal-scoped.
import type { AppContext } from '../context.ts';
import { findAccount, type LineAccount } from '../accounts/repository.ts';
import { HttpError, notFound } from '../http/errors.ts';

export type FollowStatus = 'following' | 'blocked' | 'unknown';

export interface LineLink {
  id: number;
  lineUserId: string;
  contactId: number;
  displayName: string | null;
  pictureUrl: string | null;
  followStatus: FollowStatus;
  friendAddedAt: number | null;
  linkedAt: number | null;
}

export interface Conversation {
  account: LineAccount;
  link: LineLink;
}

type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function linkFromRow(row: Row): LineLink {
  const status = String(row.follow_status);
  return {
    id: Number(row.id),
    lineUserId: String(row.line_user_id),
    contactId: Number(row.contact_id),
    displayName: (row.display_name as string | null) ?? null,
    pictureUrl: (row.picture_url as string | null) ?? null,
    followStatus: status === 'following' || status === 'blocked' ? status : 'unknown',
    friendAddedAt: num(row.friend_added_at),
    linkedAt: num(row.linked_at),
  };
}

/** The LINE user linked to a contact on an account (the most recently linked one if several are). */
export async function findLink(ctx: AppContext, portalId: number, accountId: number, contactId: number): Promise<LineLink | undefined> {
  const row = await ctx.db('line_links')
    .where({ portal_id: portalId, line_account_id: accountId, contact_id: contactId })
    .orderBy([{ column: 'linked_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .first();
  return row ? linkFromRow(row) : undefined;
}

export const notLinked = () =>
  new HttpError(409, 'contact_not_linked', 'This contact is not linked to a LINE user on this LINE account');

/** 404 when the account is not one of the portal's; 409 when the contact has no LINE user on it. */
export async function openConversation(ctx: AppContext, portalId: number, accountId: number, contactId: number): Promise<Conversation> {
  const account = await findAccount(ctx, portalId, accountId);
  if (!account) throw notFound('No such LINE account in this HubSpot portal');
  const link = await findLink(ctx, portalId, account.id, contactId);
  if (!link) throw notLinked();
  return { account, link };
}

/** A conversation that may receive messages: a LINE user who blocked the account gets nothing. */
export function assertReachable(conversation: Conversation): void {
  if (conversation.link.followStatus === 'blocked') {
    throw new HttpError(409, 'line_user_blocked', 'This LINE user has blocked the LINE account: messages cannot be delivered');
  }
}
