import type { Knex } from 'knex';

// One row per HubSpot portal that installed the app. Tokens are sealed with the SecretBox.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('portals', (t) => {
    t.bigInteger('portal_id').primary();
    t.string('hub_domain', 255).nullable();
    t.string('status', 32).notNullable(); // installed | needs_reinstall
    t.text('access_token').notNullable();
    t.text('refresh_token').notNullable();
    t.bigInteger('access_token_expires_at').notNullable();
    t.text('scopes').notNullable().defaultTo('');
    t.bigInteger('installed_by_user_id').nullable();
    t.bigInteger('installed_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('portals');
}
