// Linking a contact by hand to a LINE user ID the agent already knows. The link row is written at once
// and the contact's LINE properties by a job; the profile (name, picture, friendship) is read from LINE
// when LINE has it, and a failure there does not stop the link.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { HttpError } from '../http/errors.ts';
import { lineChannel } from '../line/line-channel.ts';
import { checkLink, fillLink, type LinkRefusal } from '../contacts/link-rule.ts';
import { enqueueLinkSync } from '../conversation/sync-link-job.ts';
import { tryLineCall } from './line-call.ts';
import { loadLinks } from '../contacts/links.ts';
import type { LineLink } from './conversation.ts';

interface Profile {
  displayName: string | null;
  pictureUrl: string | null;
  followStatus: 'following';
}

// LINE answers a profile only for users who are friends of the account (404 otherwise).
async function readProfile(ctx: AppContext, account: LineAccount, lineUserId: string): Promise<Profile | null> {
  const result = await tryLineCall(lineChannel(ctx.config, account.channelAccessToken), 'profile', (c) => c.messaging.getProfile(lineUserId), ctx.config.timings.line.quickCallTimeoutMs);
  if (result.ok) return { displayName: result.value.displayName, pictureUrl: result.value.pictureUrl ?? null, followStatus: 'following' };
  if (result.status !== 404) ctx.logger.warn({ accountId: account.id, reason: result.reason }, 'could not read the LINE profile of a linked user');
  return null;
}

const REFUSALS: Record<LinkRefusal, string> = {
  contact_already_linked: 'This contact is already linked to another LINE user on this LINE account',
  line_user_linked_elsewhere: 'This LINE user is already linked to another contact',
};

export async function linkContact(ctx: AppContext, account: LineAccount, contactId: number, lineUserId: string): Promise<{ link: LineLink; created: boolean }> {
  const target = { portalId: account.portalId, accountId: account.id, contactId, lineUserId };
  const check = await checkLink(ctx, target);
  if (check.kind === 'linked') return { link: check.link, created: false };
  if (check.kind === 'refused') throw new HttpError(409, check.reason, REFUSALS[check.reason]);
  const profile = await readProfile(ctx, account, lineUserId);
  const now = Date.now();
  const fill = {
    linked_via: 'manual',
    ...(profile ? { display_name: profile.displayName, picture_url: profile.pictureUrl, follow_status: profile.followStatus, profile_refreshed_at: now } : {}),
  };
  if (!(await fillLink(ctx, target, fill))) throw new HttpError(409, 'line_user_linked_elsewhere', REFUSALS.line_user_linked_elsewhere);
  // fillLink just gave the link this contact.
  const link = (await loadLinks(ctx, account, [lineUserId])).get(lineUserId) as LineLink;
  await enqueueLinkSync(ctx, { id: link.id, portalId: account.portalId, accountId: account.id, lineUserId });
  return { link, created: true };
}
