import type { Knex } from 'knex';

// Content of inbound image/video/audio/file messages, fetched from LINE promptly (LINE deletes it after a while).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('media', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('message_id').notNullable().unique().references('id').inTable('messages').onDelete('CASCADE');
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
  await db.schema.dropTable('media');
}
