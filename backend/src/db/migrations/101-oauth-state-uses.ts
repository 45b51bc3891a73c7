import type { Knex } from 'knex';

// OAuth `state` values are signed and carry their own expiry; this table only remembers the ones already
// used, so each works once. Rows are purged after the state's expiry.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('oauth_state_uses', (t) => {
    t.string('nonce', 64).primary();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('oauth_state_uses');
}
