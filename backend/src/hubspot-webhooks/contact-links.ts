// How HubSpot-side contact changes keep line_links right. HubSpot is the source of truth for contacts;
// the link is the one CRM fact we keep, so it follows what happened to the contact.
import type { AppContext } from '../context.ts';
import { moveLinks } from '../contacts/links.ts';
import { unpackDeliveries } from '../inbound/event-dispatch.ts';
import { readStoredTables, tablesWithColumns } from '../install/stored-tables.ts';

/** contact.merge: links of the merged contacts move to the contact that remains. */
export async function moveLinksToMergedContact(ctx: AppContext, portalId: number, mergedIds: number[], survivorId: number): Promise<number> {
  const from = mergedIds.filter((id) => id !== survivorId);
  if (from.length === 0) return 0;
  return moveLinks(ctx, portalId, from, survivorId);
}

/**
 * contact.privacyDeletion (GDPR delete): everything stored about the contact's LINE users goes, in one
 * transaction: their links (and what cascades from them), and the rows of every table holding data
 * about one LINE user, i.e. with line_account_id + line_user_id (messages and their media, stored
 * webhook events, reply tokens, group memberships …). Account ids come from this portal's links, so
 * the deletes stay inside the portal. With the erase of a whole portal (install/erase-portal.ts), this is
 * the sanctioned exception to "one repository per table": it walks every stored table, so a table added
 * later is erased without anyone remembering to (test/project/table-owners.test.ts lists it).
 */
export async function eraseContactData(ctx: AppContext, portalId: number, contactId: number): Promise<Record<string, number>> {
  // Deliveries still waiting hold their events in one body for several users: unpacked first, those events
  // are rows that the erase finds by their user.
  await unpackDeliveries(ctx);
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
