// The rule for linking a LINE user to a contact when someone names the pair (an agent on the LINE card,
// or a user setting line_user_id in HubSpot): a link is only ever filled, never moved. A LINE user linked
// to another contact stays there and a contact keeps the LINE user it has on the account; changing
// either takes an unlink first. So a mistyped (or malicious) ID can never take someone's conversation.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';
import { linkRecordFromRow, type FollowStatus, type LinkRecord } from './links.ts';

/** A LINE user ID as LINE issues them: "U" and 32 lowercase hex digits. */
export const LINE_USER_ID = /^U[0-9a-f]{32}$/;

export interface LinkTarget {
  portalId: number;
  accountId: number;
  contactId: number;
  lineUserId: string;
}

export type LinkRefusal = 'contact_already_linked' | 'line_user_linked_elsewhere';

export type LinkCheck = { kind: 'linked'; link: LinkRecord & { contactId: number } } | { kind: 'refused'; reason: LinkRefusal } | { kind: 'fillable' };

export async function checkLink(ctx: AppContext, t: LinkTarget): Promise<LinkCheck> {
  const ofContact = await ctx.db('line_links').where({ portal_id: t.portalId, line_account_id: t.accountId, contact_id: t.contactId });
  const same = ofContact.find((row) => row.line_user_id === t.lineUserId);
  if (same) return { kind: 'linked', link: { ...linkRecordFromRow(same), contactId: t.contactId } };
  if (ofContact.length > 0) return { kind: 'refused', reason: 'contact_already_linked' };
  const ofUser = await ctx.db('line_links').where({ portal_id: t.portalId, line_account_id: t.accountId, line_user_id: t.lineUserId }).first('contact_id');
  if (ofUser && ofUser.contact_id !== null) return { kind: 'refused', reason: 'line_user_linked_elsewhere' };
  return { kind: 'fillable' };
}

export interface LinkFill {
  linked_via: string;
  display_name?: string | null;
  picture_url?: string | null;
  follow_status?: FollowStatus;
  profile_refreshed_at?: number;
}

/**
 * Links the pair where the LINE user's row is still without a contact (or does not exist yet). False
 * when another link won meanwhile: the guarded write is what makes the rule hold under concurrency.
 */
export async function fillLink(ctx: AppContext, t: LinkTarget, fill: LinkFill): Promise<boolean> {
  const now = nowMs();
  const fields = { contact_id: t.contactId, linked_at: now, updated_at: now, ...fill };
  const updated = await ctx.db('line_links').where({ portal_id: t.portalId, line_account_id: t.accountId, line_user_id: t.lineUserId }).whereNull('contact_id').update(fields);
  if (updated === 1) return true;
  const inserted = await ctx
    .db('line_links')
    .insert({ portal_id: t.portalId, line_account_id: t.accountId, line_user_id: t.lineUserId, created_at: now, follow_status: 'unknown', ...fields })
    .onConflict(['line_account_id', 'line_user_id'])
    .ignore()
    .returning('id');
  return inserted.length === 1;
}
