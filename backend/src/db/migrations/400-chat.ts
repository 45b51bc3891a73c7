import type { Knex } from 'knex';

// Chat panel storage (issue 7):
// - line_reply_tokens: the latest reply token per LINE user, written by the inbound feature when a message
//   event arrives and taken (deleted) by a chat send, so an agent's answer uses the free reply API once.
// - messages.updated_at: when a message last changed (sending → sent/failed, read), so an open panel's
//   long-poll can notice status changes of messages it already shows.
// - chat_templates: saved texts an agent can insert in the composer, per portal.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('line_reply_tokens', (t) => {
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('line_user_id', 64).notNullable();
    t.string('reply_token', 255).notNullable();
    t.bigInteger('expires_at').notNullable();
    t.primary(['line_account_id', 'line_user_id']);
  });
  await db.schema.alterTable('messages', (t) => {
    t.bigInteger('updated_at').nullable();
    t.index(['line_account_id', 'line_user_id', 'updated_at'], 'messages_conversation_updated_idx');
  });
  await db.schema.createTable('chat_templates', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.text('text').notNullable();
    t.bigInteger('created_by_user_id').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['portal_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('chat_templates');
  await db.schema.alterTable('messages', (t) => {
    t.dropIndex(['line_account_id', 'line_user_id', 'updated_at'], 'messages_conversation_updated_idx');
    t.dropColumn('updated_at');
  });
  await db.schema.dropTable('line_reply_tokens');
}
