import type { Knex } from 'knex';

// Content of the images, videos, audio and files members post in groups, fetched from LINE promptly as for
// 1:1 messages (table media), and gone with its group message. message_id names group_messages.id.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('group_media', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('message_id').notNullable().unique().references('id').inTable('group_messages').onDelete('CASCADE');
    t.bigInteger('portal_id').notNullable();
    t.string('status', 16).notNullable(); // stored | unavailable
    t.string('content_type', 128).nullable();
    t.bigInteger('size').nullable();
    t.binary('bytes').nullable();
    t.text('error').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['portal_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('group_media');
}
