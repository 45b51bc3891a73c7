// Links the LINE user who just logged in to the right contact, by the rule shared with manual linking
// and webhook handling (contacts/link-rule.ts): a link is filled, never silently moved.
// - With an email: the contact with that email gets the LINE user. A LINE-only contact the user already
//   has (made from their messages, no email) is merged into it with HubSpot's merge API, the email
//   contact as primary, and its conversation follows; without a contact for the email, the LINE-only
//   contact gets the email, or a new contact is made with the email.
// - Without an email: the user keeps the contact they have, or one found by line_user_id, or a new one.
// A LINE user linked to a contact with another email, or an email contact linked to another LINE user on
// this account, is refused and logged. No email is ever invented.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { lineContactProperties } from '../contacts/contact-properties.ts';
import { checkLink, fillLink, type LinkRefusal } from '../contacts/link-rule.ts';
import { ensureLinks, loadLinks, moveLinks, updateLink, type FollowStatus, type LinkRecord } from '../contacts/links.ts';
import { contactNameFromDisplayName } from '../contacts/profile-name.ts';
import { resolveContacts } from '../contacts/resolve-contacts.ts';
import { enqueueLinkSync } from '../conversation/sync-link-job.ts';
import { hubspotFor, type HubSpotPortal } from '../hubspot/portal-client.ts';
import type { VerifiedLineUser } from '../line/login-api.ts';
import { contactByEmail, contactById, createContact, createContactWithEmail, mergeContacts, updateContact, type ContactWithEmail } from './login-contacts.ts';

export interface LoggedInUser extends VerifiedLineUser {
  /** Whether the user has the account as a friend now; null when LINE did not say. */
  friend: boolean | null;
}

export type LinkHow = 'already_linked' | 'email_match' | 'merged' | 'email_added' | 'created' | 'found_by_line_user_id';

export type LoginLinkOutcome = { kind: 'linked'; contactId: number; how: LinkHow } | { kind: 'refused'; reason: LinkRefusal };

const LINKED_VIA = 'line_login';

interface Linking {
  ctx: AppContext;
  hs: HubSpotPortal;
  account: LineAccount;
  user: LoggedInUser;
  link: LinkRecord;
}

async function recordProfile(ctx: AppContext, link: LinkRecord, user: LoggedInUser): Promise<void> {
  const now = Date.now();
  let followStatus: FollowStatus = link.followStatus;
  if (user.friend === true) followStatus = 'following';
  else if (user.friend === false && link.followStatus === 'following') followStatus = 'blocked';
  const friendAddedAt = followStatus === 'following' && link.followStatus !== 'following' ? now : link.friendAddedAt;
  await updateLink(ctx, link, {
    display_name: user.displayName ?? link.displayName,
    picture_url: user.pictureUrl ?? link.pictureUrl,
    follow_status: followStatus,
    friend_added_at: friendAddedAt,
    profile_refreshed_at: now,
  });
}

function newContactProperties(l: Linking): Record<string, string> {
  return {
    ...contactNameFromDisplayName(l.user.displayName),
    ...lineContactProperties(l.account, { ...l.link, displayName: l.user.displayName, pictureUrl: l.user.pictureUrl, linkedAt: Date.now() }, undefined),
  };
}

/** Links the user's link row to `contactId` unless the rule refuses. */
async function fill(l: Linking, contactId: number, how: LinkHow): Promise<LoginLinkOutcome> {
  const target = { portalId: l.account.portalId, accountId: l.account.id, contactId, lineUserId: l.user.lineUserId };
  const check = await checkLink(l.ctx, target);
  if (check.kind === 'linked') return { kind: 'linked', contactId, how: 'already_linked' };
  if (check.kind === 'refused') return { kind: 'refused', reason: check.reason };
  if (!(await fillLink(l.ctx, target, { linked_via: LINKED_VIA }))) return { kind: 'refused', reason: 'line_user_linked_elsewhere' };
  return { kind: 'linked', contactId, how };
}

/**
 * The contact the user's link names, as HubSpot has it now: a link to a deleted contact is cleared, and
 * one to an id HubSpot merged away follows the record that remains.
 */
async function currentContact(l: Linking): Promise<ContactWithEmail | null> {
  const linkedId = l.link.contactId;
  if (linkedId === null) return null;
  const contact = await contactById(l.hs, linkedId);
  if (!contact) await updateLink(l.ctx, l.link, { contact_id: null, linked_at: null, linked_via: null });
  else if (contact.id !== linkedId) await moveLinks(l.ctx, l.account.portalId, [linkedId], contact.id);
  l.link.contactId = contact?.id ?? null;
  return contact;
}

async function linkToEmailContact(l: Linking, emailContact: ContactWithEmail, current: ContactWithEmail | null): Promise<LoginLinkOutcome> {
  if (current?.id === emailContact.id) return { kind: 'linked', contactId: emailContact.id, how: 'already_linked' };
  const outcome = await fill(l, emailContact.id, 'email_match');
  if (outcome.kind === 'linked' || outcome.reason !== 'line_user_linked_elsewhere' || !current || current.email) return outcome;
  // The user's contact is LINE-only: it becomes part of the email contact, in HubSpot and here.
  const survivor = await mergeContacts(l.hs, emailContact.id, current.id);
  await moveLinks(l.ctx, l.account.portalId, [current.id, emailContact.id], survivor);
  l.ctx.logger.info({ portalId: l.account.portalId, lineAccountId: l.account.id, primary: emailContact.id, merged: current.id, survivor }, 'LINE-only contact merged into the contact of the LINE Login email');
  return { kind: 'linked', contactId: survivor, how: 'merged' };
}

async function linkByEmail(l: Linking, email: string): Promise<LoginLinkOutcome> {
  const current = await currentContact(l);
  const emailContact = await contactByEmail(l.hs, email);
  if (emailContact) return linkToEmailContact(l, emailContact, current);
  if (current?.email) return { kind: 'refused', reason: 'line_user_linked_elsewhere' };
  if (current) {
    await updateContact(l.hs, current.id, { email });
    return { kind: 'linked', contactId: current.id, how: 'email_added' };
  }
  const created = await createContactWithEmail(l.hs, { ...newContactProperties(l), email });
  // Someone made a contact with this email since we looked: it is the one to link.
  if ('emailTakenBy' in created) return linkToEmailContact(l, { id: created.emailTakenBy, email }, null);
  return fill(l, created.created, 'created');
}

async function linkWithoutEmail(l: Linking): Promise<LoginLinkOutcome> {
  const current = await currentContact(l);
  if (current) return { kind: 'linked', contactId: current.id, how: 'already_linked' };
  await resolveContacts(l.ctx, l.hs, l.account, [{ link: l.link, create: false }]);
  if (l.link.contactId !== null) return { kind: 'linked', contactId: l.link.contactId, how: 'found_by_line_user_id' };
  return fill(l, await createContact(l.hs, newContactProperties(l)), 'created');
}

/** Links the logged-in user and writes their LINE properties on the contact before answering. */
export async function linkLoginUser(ctx: AppContext, account: LineAccount, user: LoggedInUser): Promise<LoginLinkOutcome> {
  const hs = await hubspotFor(ctx, account.portalId);
  const before = (await ensureLinks(ctx, account, [user.lineUserId])).get(user.lineUserId)!;
  await recordProfile(ctx, before, user);
  const link = (await loadLinks(ctx, account, [user.lineUserId])).get(user.lineUserId)!;
  const l: Linking = { ctx, hs, account, user, link };
  const outcome = user.email ? await linkByEmail(l, user.email) : await linkWithoutEmail(l);
  const where = { portalId: account.portalId, lineAccountId: account.id, withEmail: user.email !== null };
  if (outcome.kind === 'refused') {
    ctx.logger.warn({ ...where, reason: outcome.reason, contactId: link.contactId }, 'LINE Login link refused: the LINE user or the contact is already linked elsewhere');
    return outcome;
  }
  const linked = (await loadLinks(ctx, account, [user.lineUserId])).get(user.lineUserId)!;
  // Written now, not only by the job, so the card that refreshes the record on the link sees them.
  await updateContact(hs, outcome.contactId, lineContactProperties(account, linked, undefined));
  await enqueueLinkSync(ctx, { id: linked.id, portalId: account.portalId, accountId: account.id, lineUserId: user.lineUserId });
  ctx.logger.info({ ...where, contactId: outcome.contactId, how: outcome.how }, 'LINE user linked by LINE Login');
  return outcome;
}
