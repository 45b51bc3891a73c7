import type { Knex } from 'knex';

// Every LINE webhook event as received (unique on webhookEventId, so redeliveries are no-ops),
// and the LINE groups/rooms the bot is in with their members (group features come later).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('inbound_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('webhook_event_id', 64).notNullable().unique();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('type', 64).notNullable();
    t.string('mode', 16).nullable(); // active | standby
    // The chat the event belongs to: a user, group or room id. Events of one chat are processed in order.
    t.string('chat_id', 64).nullable();
    t.string('line_user_id', 64).nullable();
    t.boolean('is_redelivery').notNullable().defaultTo(false);
    t.text('payload').notNullable(); // the event object as LINE sent it (JSON)
    t.bigInteger('event_timestamp').notNullable();
    t.bigInteger('received_at').notNullable();
    t.bigInteger('processed_at').nullable();
    t.string('outcome', 32).nullable(); // handled | skipped
    t.index(['line_account_id', 'chat_id', 'id']);
    t.index(['portal_id']);
  });
  await db.schema.createTable('line_groups', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('group_id', 64).notNullable();
    t.string('kind', 8).notNullable(); // group | room
    t.bigInteger('joined_at').nullable();
    t.bigInteger('left_at').nullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['line_account_id', 'group_id']);
  });
  await db.schema.createTable('line_group_members', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('group_id', 64).notNullable();
    t.string('line_user_id', 64).notNullable();
    t.bigInteger('joined_at').nullable();
    t.bigInteger('left_at').nullable(); // null while the user is a member
    t.bigInteger('updated_at').notNullable();
    t.unique(['line_account_id', 'group_id', 'line_user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('line_group_members');
  await db.schema.dropTable('line_groups');
  await db.schema.dropTable('inbound_events');
}
