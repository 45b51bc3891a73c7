// follow (new friend or unblock), unfollow (block), postback and accountLink: the user's relation to
// the account, kept on the link and, through the batch's property sync, on the contact.
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { ensureLinks, updateLink } from '../contacts/links.ts';
import { skipped, type EventHandler } from './event-effects.ts';
import type { WebhookEvent } from './webhook-body.ts';

async function linkOf(ctx: AppContext, account: LineAccount, event: WebhookEvent) {
  const lineUserId = event.source?.type === 'user' ? event.source.userId : undefined;
  if (!lineUserId) return undefined;
  return (await ensureLinks(ctx, account, [lineUserId])).get(lineUserId);
}

export const handleFollow: EventHandler = async (ctx, account, { event }) => {
  const link = await linkOf(ctx, account, event);
  if (!link) return skipped();
  // An unblock keeps the original friend-added date when we know it.
  const friendAddedAt = link.friendAddedAt !== null && (event.follow as { isUnblocked?: boolean } | undefined)?.isUnblocked ? link.friendAddedAt : event.timestamp;
  await updateLink(ctx, link, { follow_status: 'following', friend_added_at: friendAddedAt });
  ctx.changes.notify(account.portalId);
  return { outcome: 'handled', lineUserId: link.lineUserId, contact: 'create', refreshProfile: true };
};

export const handleUnfollow: EventHandler = async (ctx, account, { event }) => {
  const link = await linkOf(ctx, account, event);
  if (!link) return skipped();
  await updateLink(ctx, link, { follow_status: 'blocked' });
  // An open chat panel closes its composer at once (its held request answers with the new friendship).
  ctx.changes.notify(account.portalId);
  // A blocked user has no profile to create a contact from: only an existing contact learns of the block.
  return { outcome: 'handled', lineUserId: link.lineUserId, contact: 'find' };
};

/** A tap on a postback action: the user is active and a friend; the data is for features that define postbacks. */
export const handlePostback: EventHandler = async (ctx, account, { event }) => {
  const link = await linkOf(ctx, account, event);
  if (!link) return skipped();
  return { outcome: 'handled', lineUserId: link.lineUserId, contact: 'create' };
};

/** The user finished LINE's account-link flow; a successful link proves a friend we can find a contact for. */
export const handleAccountLink: EventHandler = async (ctx, account, { event }) => {
  const link = await linkOf(ctx, account, event);
  const result = (event.link as { result?: unknown } | undefined)?.result;
  if (!link || result !== 'ok') return skipped(link?.lineUserId);
  return { outcome: 'handled', lineUserId: link.lineUserId, contact: 'create' };
};
