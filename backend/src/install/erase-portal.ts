// Deletes everything stored about a portal, in one transaction: every row of every table that has a
// portal_id column (tokens, LINE accounts, links, messages, media, events, jobs, pauses … whatever exists
// when it runs), children before the tables they reference; rows of tables without portal_id go with
// their parent through ON DELETE CASCADE. See stored-tables.ts.
import type { AppContext } from '../context.ts';
import { rateLimiterOf } from '../hubspot/portal-client.ts';
import { readStoredTables, tablesWithColumns } from './stored-tables.ts';

/** Deletes every row of the portal; returns how many rows went from each table. */
export async function erasePortal(ctx: AppContext, portalId: number): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  await ctx.db.transaction(async (trx) => {
    for (const table of tablesWithColumns(await readStoredTables(trx), ['portal_id'])) {
      deleted[table] = await trx(table).where({ portal_id: portalId }).delete();
    }
  });
  rateLimiterOf(ctx).forget(portalId);
  ctx.logger.info({ portalId, deleted }, 'portal erased');
  return deleted;
}
