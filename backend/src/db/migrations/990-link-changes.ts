import type { Knex } from 'knex';

// Every write to a LINE link sets updated_at, and each web process looks once a second for the portals
// whose links (a block, an unblock, a contact linked) other processes changed (db/portal-changes.ts): by
// this index, not a table scan.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('line_links', (t) => {
    t.index(['updated_at', 'portal_id'], 'line_links_updated_portal_idx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('line_links', (t) => {
    t.dropIndex(['updated_at', 'portal_id'], 'line_links_updated_portal_idx');
  });
}
