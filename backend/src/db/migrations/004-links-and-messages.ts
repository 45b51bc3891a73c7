import type { Knex } from 'knex';

// The LINE user <-> HubSpot contact link (the only CRM data the backend keeps) and the conversation log.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('line_links', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('line_user_id', 64).notNullable();
    t.bigInteger('contact_id').nullable(); // null until the user is matched to (or creates) a contact
    t.string('display_name', 255).nullable();
    t.text('picture_url').nullable();
    t.string('follow_status', 16).notNullable().defaultTo('unknown'); // following | blocked | unknown
    t.bigInteger('friend_added_at').nullable();
    t.bigInteger('profile_refreshed_at').nullable();
    t.bigInteger('linked_at').nullable();
    t.string('linked_via', 32).nullable(); // auto_created | property_match | line_login | manual | hubspot_property
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['line_account_id', 'line_user_id']);
    t.index(['portal_id', 'contact_id']);
  });
  await db.schema.createTable('messages', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('line_user_id', 64).notNullable();
    t.string('direction', 8).notNullable(); // inbound | outbound
    t.string('type', 32).notNullable(); // text, sticker, image, video, audio, file, location, postback, template, flex ...
    t.text('text').nullable(); // text, or the alt text / summary shown for non-text messages
    t.text('payload').notNullable(); // the LINE message object (JSON)
    t.string('line_message_id', 64).nullable();
    t.string('quote_token', 255).nullable();
    t.string('mark_as_read_token', 255).nullable();
    t.string('webhook_event_id', 64).nullable();
    t.string('status', 16).notNullable(); // received | sending | sent | failed | unsent
    t.text('error').nullable();
    t.string('retry_key', 64).nullable(); // X-Line-Retry-Key of an outbound push
    t.string('sent_by', 64).nullable(); // user:<hubspotUserId> | workflow:<callbackId>
    t.string('sender_name', 255).nullable();
    t.bigInteger('created_at').notNullable(); // LINE event time for inbound, enqueue time for outbound
    t.bigInteger('sent_at').nullable();
    t.bigInteger('read_at').nullable();
    t.bigInteger('unsent_at').nullable();
    t.unique(['line_account_id', 'line_message_id']);
    t.index(['line_account_id', 'line_user_id', 'id']);
    t.index(['portal_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('messages');
  await db.schema.dropTable('line_links');
}
