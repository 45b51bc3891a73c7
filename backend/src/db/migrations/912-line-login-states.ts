import type { Knex } from 'knex';

// LINE Login attempts in flight (issue 12): one row per `state` handed to LINE, so a state works once,
// only for the account and the browser it was issued to, and only for 10 minutes. The state itself is
// kept as a hash (it travels in URLs); the browser is bound by the hash of a cookie value; the PKCE
// verifier is sealed. Once LINE vouched for the user, the row carries who logged in (sealed: it holds the
// email) until the link job, run in that LINE user's inbound partition, records its outcome for the
// waiting browser. Rows are purged once expired.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('line_login_states', (t) => {
    t.string('state_hash', 64).primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('browser_hash', 64).notNullable();
    t.string('nonce', 64).notNullable();
    t.text('code_verifier').notNullable();
    t.text('next_url').nullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.text('login_user').nullable();
    t.text('outcome').nullable();
    t.index(['expires_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('line_login_states');
}
