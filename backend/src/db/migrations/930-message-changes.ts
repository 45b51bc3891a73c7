import type { Knex } from 'knex';

// Every write to the conversation log sets updated_at, and each web process looks once a second for the
// portals whose logs other processes changed (db/portal-changes.ts): by this index, not a table scan.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.index(['updated_at', 'portal_id'], 'messages_updated_portal_idx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.dropIndex(['updated_at', 'portal_id'], 'messages_updated_portal_idx');
  });
}
