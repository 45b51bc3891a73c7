import type { Knex } from 'knex';

// LINE Official Accounts connected to a portal. Secrets are sealed with the SecretBox.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('line_accounts', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    // 1 = plain contact property names, N >= 2 = names with the suffix _N.
    t.integer('sequence').notNullable();
    t.string('channel_id', 32).notNullable().unique();
    t.string('bot_user_id', 64).notNullable();
    t.string('basic_id', 64).nullable();
    t.string('display_name', 255).notNullable();
    t.text('picture_url').nullable();
    t.text('channel_secret').notNullable();
    t.text('channel_access_token').notNullable();
    // Unguessable path segment of this account's webhook URL: /line/webhook/:webhookKey.
    t.string('webhook_key', 64).notNullable().unique();
    t.bigInteger('webhook_verified_at').nullable();
    t.text('webhook_test_result').nullable();
    t.bigInteger('last_event_at').nullable();
    // LINE Login (optional): /line/login/:loginKey.
    t.string('login_key', 64).notNullable().unique();
    t.string('login_channel_id', 32).nullable();
    t.text('login_channel_secret').nullable();
    t.string('liff_id', 64).nullable();
    t.text('login_redirect_url').nullable();
    t.boolean('login_require_email').notNullable().defaultTo(false);
    // Options.
    t.boolean('auto_create_contacts').notNullable().defaultTo(true);
    t.boolean('owner_tasks').notNullable().defaultTo(true);
    t.string('timeline_mode', 16).notNullable().defaultTo('app_events'); // app_events | notes | off
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['portal_id', 'sequence']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('line_accounts');
}
