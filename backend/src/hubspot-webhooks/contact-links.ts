// How HubSpot-side contact changes keep line_links right. HubSpot is the source of truth for contacts;
// the link is the one CRM fact we keep, so it follows what happened to the contact.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { readStoredTables, tablesWithColumns } from '../install/stored-tables.ts';

const unlinked = (now: number) => ({ contact_id: null, linked_at: null, linked_via: null, updated_at: now });

/** contact.deletion: the LINE users stay known, linked to no contact. */
export async function unlinkDeletedContact(ctx: AppContext, portalId: number, contactId: number): Promise<number> {
  return ctx.db('line_links').where({ portal_id: portalId, contact_id: contactId }).update(unlinked(Date.now()));
}

/** contact.merge: links of the merged contacts move to the contact that remains. */
export async function moveLinksToMergedContact(ctx: AppContext, portalId: number, mergedIds: number[], survivorId: number): Promise<number> {
  const from = mergedIds.filter((id) => id !== survivorId);
  if (from.length === 0) return 0;
  return ctx.db('line_links').where({ portal_id: portalId }).whereIn('contact_id', from).update({ contact_id: survivorId, updated_at: Date.now() });
}

/**
 * contact.privacyDeletion (GDPR delete): everything stored about the contact's LINE users goes, in one
 * transaction: their links (and what cascades from them), and the rows of every table holding data
 * about one LINE user, i.e. with line_account_id + line_user_id (messages and their media, stored
 * webhook events, reply tokens, group memberships …). Account ids come from this portal's links, so
 * the deletes stay inside the portal.
 */
export async function eraseContactData(ctx: AppContext, portalId: number, contactId: number): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  await ctx.db.transaction(async (trx) => {
    const users = (await trx('line_links').where({ portal_id: portalId, contact_id: contactId }).select('line_account_id', 'line_user_id')) as Array<{
      line_account_id: number;
      line_user_id: string;
    }>;
    const perUserTables = tablesWithColumns(await readStoredTables(trx), ['line_account_id', 'line_user_id']).filter((t) => t !== 'line_links');
    for (const table of perUserTables) {
      deleted[table] = 0;
      for (const user of users) {
        deleted[table] += await trx(table).where({ line_account_id: user.line_account_id, line_user_id: user.line_user_id }).delete();
      }
    }
    deleted.line_links = await trx('line_links').where({ portal_id: portalId, contact_id: contactId }).delete();
  });
  return deleted;
}

const LINE_USER_ID = /^U[0-9a-f]{32}$/;

export type PropertyLinkOutcome = 'linked' | 'unchanged' | 'unlinked' | 'no_account' | 'invalid_user_id';

/**
 * contact.propertyChange of line_user_id(_N): someone set (or cleared) the LINE user ID on the contact
 * in HubSpot (by hand, import, workflow). The link of that account follows: the named LINE user is
 * linked to the contact (created when unknown), any other user of that account linked to the contact is
 * unlinked, and an emptied value unlinks. Our own writes of the property come back as the same value,
 * and change nothing.
 */
export async function linkFromProperty(
  ctx: AppContext,
  portalId: number,
  sequence: number,
  contactId: number,
  value: string | undefined,
): Promise<PropertyLinkOutcome> {
  const account = await ctx.db('line_accounts').where({ portal_id: portalId, sequence }).first('id');
  if (!account) return 'no_account';
  const accountId = Number(account.id);
  const lineUserId = (value ?? '').trim();
  const now = Date.now();
  if (!lineUserId) {
    const n = await ctx.db('line_links').where({ portal_id: portalId, line_account_id: accountId, contact_id: contactId }).update(unlinked(now));
    return n > 0 ? 'unlinked' : 'unchanged';
  }
  if (!LINE_USER_ID.test(lineUserId)) return 'invalid_user_id';
  return ctx.db.transaction(async (trx: Knex.Transaction) => {
    const existing = await trx('line_links').where({ line_account_id: accountId, line_user_id: lineUserId }).first('id', 'contact_id', 'portal_id');
    if (existing && Number(existing.portal_id) !== portalId) return 'invalid_user_id';
    await trx('line_links')
      .where({ portal_id: portalId, line_account_id: accountId, contact_id: contactId })
      .whereNot({ line_user_id: lineUserId })
      .update(unlinked(now));
    if (existing && Number(existing.contact_id) === contactId) return 'unchanged';
    const link = { contact_id: contactId, linked_at: now, linked_via: 'hubspot_property', updated_at: now };
    if (existing) await trx('line_links').where({ id: existing.id }).update(link);
    else await trx('line_links').insert({ portal_id: portalId, line_account_id: accountId, line_user_id: lineUserId, follow_status: 'unknown', created_at: now, ...link });
    return 'linked';
  });
}
