// Linking a contact by hand to a LINE user ID the agent already knows. The link row is written at once
// and the contact's LINE properties by a job; the profile (name, picture, friendship) is read from LINE
// when LINE has it, and a failure there does not stop the link.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { HttpError } from '../http/errors.ts';
import { lineClients } from '../line/clients.ts';
import { enqueueLinkSync } from '../contacts/sync-link-job.ts';
import { callLine } from './line-call.ts';
import { findLink, linkFromRow, type LineLink } from './conversation.ts';

interface Profile {
  displayName: string | null;
  pictureUrl: string | null;
  followStatus: 'following' | null;
}

// LINE answers a profile only for users who are friends of the account (404 otherwise).
async function readProfile(ctx: AppContext, account: LineAccount, lineUserId: string): Promise<Profile | null> {
  const { messaging } = lineClients(ctx.config, account.channelAccessToken);
  const result = await callLine(() => messaging.getProfile(lineUserId), ctx.config.timings.line.quickCallTimeoutMs);
  if (result.ok) return { displayName: result.value.displayName, pictureUrl: result.value.pictureUrl ?? null, followStatus: 'following' };
  if (result.status !== 404) ctx.logger.warn({ accountId: account.id, reason: result.reason }, 'could not read the LINE profile of a linked user');
  return null;
}

export async function linkContact(ctx: AppContext, account: LineAccount, contactId: number, lineUserId: string): Promise<{ link: LineLink; created: boolean }> {
  const current = await findLink(ctx, account.portalId, account.id, contactId);
  if (current?.lineUserId === lineUserId) return { link: current, created: false };
  if (current) throw new HttpError(409, 'contact_already_linked', 'This contact is already linked to another LINE user on this LINE account');
  const existing = await ctx.db('line_links').where({ line_account_id: account.id, line_user_id: lineUserId }).first();
  if (existing?.contact_id !== null && existing?.contact_id !== undefined) {
    throw new HttpError(409, 'line_user_linked_elsewhere', 'This LINE user is already linked to another contact');
  }
  const profile = await readProfile(ctx, account, lineUserId);
  const now = Date.now();
  const fields = {
    contact_id: contactId,
    linked_at: now,
    linked_via: 'manual',
    updated_at: now,
    ...(profile ? { display_name: profile.displayName, picture_url: profile.pictureUrl, follow_status: profile.followStatus, profile_refreshed_at: now } : {}),
  };
  if (existing) {
    // Only a row still without a contact is taken, so a concurrent link to another contact wins cleanly.
    const updated = await ctx.db('line_links').where({ id: existing.id }).whereNull('contact_id').update(fields);
    if (updated !== 1) throw new HttpError(409, 'line_user_linked_elsewhere', 'This LINE user is already linked to another contact');
  } else {
    const inserted = await ctx.db('line_links')
      .insert({ portal_id: account.portalId, line_account_id: account.id, line_user_id: lineUserId, created_at: now, follow_status: 'unknown', ...fields })
      .onConflict(['line_account_id', 'line_user_id'])
      .ignore()
      .returning('id');
    if (inserted.length === 0) throw new HttpError(409, 'line_user_linked_elsewhere', 'This LINE user was linked meanwhile');
  }
  const row = await ctx.db('line_links').where({ line_account_id: account.id, line_user_id: lineUserId }).first();
  const link = linkFromRow(row);
  await enqueueLinkSync(ctx, { id: Number(row.id), portalId: account.portalId, accountId: account.id, lineUserId });
  return { link, created: true };
}
