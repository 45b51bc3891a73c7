// The 1:1 conversation behind a contact's chat panel: one connected LINE account of the caller's portal
// and the LINE user linked to the contact on it. Every chat endpoint starts here, so every query is portal-scoped.
import type { AppContext } from '../context.ts';
import { findAccount, type LineAccount } from '../accounts/repository.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { findLinkOfContact, loadLinksById, type FollowStatus, type LinkRecord } from '../contacts/links.ts';

export type { FollowStatus };

/** A link that has a contact: what a chat panel is opened on. */
export type LineLink = LinkRecord & { contactId: number };

export interface Conversation {
  account: LineAccount;
  link: LineLink;
}

/** The LINE user linked to a contact on an account (the most recently linked one if several are). */
export async function findLink(ctx: AppContext, portalId: number, accountId: number, contactId: number): Promise<LineLink | undefined> {
  // Selected by contact_id, so never without one.
  return (await findLinkOfContact(ctx, portalId, accountId, contactId)) as LineLink | undefined;
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

/** The LINE user's friendship with the account as stored now (a follow or block may have arrived since the conversation was opened). */
export async function currentFollowStatus(ctx: AppContext, conversation: Conversation): Promise<FollowStatus> {
  const [link] = await loadLinksById(ctx, conversation.account.portalId, [conversation.link.id]);
  return link?.followStatus ?? conversation.link.followStatus;
}

/** A conversation that may receive messages: a LINE user who blocked the account gets nothing. */
export function assertReachable(conversation: Conversation): void {
  if (conversation.link.followStatus === 'blocked') {
    throw new HttpError(409, 'line_user_blocked', 'This LINE user has blocked the LINE account: messages cannot be delivered');
  }
}
