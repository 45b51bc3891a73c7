import type { Knex } from 'knex';

// LINE group chats as HubSpot companies (issue 17). Group messages get tables of their own rather than
// rows in messages/conversations: those are keyed by a 1:1 chat (line_user_id is the chat partner,
// conversations hang off line_links), while a group message belongs to a group and has a sender; mixing
// them would make every 1:1 query exclude groups and put group talk into a member's contact history.
// - line_groups: what LINE's group summary says, the company the group is linked to (one per group and
//   account; a company holds at most one group of an account), and the group's latest reply token.
// - line_group_members: each member's profile as the group member profile API tells it, and its LINE link.
// - group_messages: the group's conversation log (inbound with sender, outbound with delivery state).
// - group_conversations: per group, the unanswered flag, the owner's task, last dates and timeline note.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('line_groups', (t) => {
    t.string('group_name', 255).nullable();
    t.text('picture_url').nullable();
    t.integer('member_count').nullable();
    t.bigInteger('summary_fetched_at').nullable();
    t.bigInteger('company_id').nullable();
    t.bigInteger('linked_at').nullable();
    t.string('linked_via', 32).nullable(); // auto_created | card
    // Set just before a company is created for the group: a retry after a crash finds that company instead of making a second one.
    t.bigInteger('company_create_started_at').nullable();
    t.string('reply_token', 255).nullable();
    t.bigInteger('reply_token_expires_at').nullable();
    t.unique(['line_account_id', 'company_id'], { indexName: 'line_groups_company_unique' });
    t.index(['portal_id', 'company_id']);
  });
  await db.schema.alterTable('line_group_members', (t) => {
    t.string('display_name', 255).nullable();
    t.text('picture_url').nullable();
    t.bigInteger('profile_refreshed_at').nullable();
  });
  await db.schema.createTable('group_messages', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.string('group_id', 64).notNullable();
    t.string('direction', 8).notNullable(); // inbound | outbound
    // The member who wrote an inbound message (null for outbound: the account sent it).
    t.string('line_user_id', 64).nullable();
    t.string('type', 32).notNullable();
    t.text('text').nullable();
    t.text('payload').notNullable();
    t.string('line_message_id', 64).nullable();
    t.string('quote_token', 255).nullable();
    t.string('webhook_event_id', 64).nullable();
    t.string('status', 16).notNullable(); // received | sending | sent | failed | unsent
    t.text('error').nullable();
    t.string('retry_key', 64).nullable();
    t.string('sent_via', 8).nullable(); // reply | push
    t.string('sent_by', 64).nullable(); // user:<hubspotUserId> | workflow:<callbackId>
    t.string('sender_name', 255).nullable();
    t.string('client_message_id', 36).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('sent_at').nullable();
    t.bigInteger('unsent_at').nullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['line_account_id', 'line_message_id']);
    t.unique(['portal_id', 'client_message_id'], { indexName: 'group_messages_client_message_id_unique' });
    t.index(['line_account_id', 'group_id', 'id']);
    t.index(['updated_at', 'portal_id'], 'group_messages_updated_portal_idx');
    t.index(['portal_id']);
  });
  await db.schema.createTable('group_conversations', (t) => {
    t.bigInteger('line_group_row_id').primary().references('id').inTable('line_groups').onDelete('CASCADE');
    t.bigInteger('portal_id').notNullable();
    t.boolean('unanswered').notNullable().defaultTo(false);
    t.bigInteger('unanswered_since').nullable();
    t.text('unanswered_message').nullable();
    t.bigInteger('unanswered_message_id').nullable();
    t.bigInteger('last_inbound_at').nullable();
    t.bigInteger('last_outbound_at').nullable();
    t.string('open_task_id', 32).nullable();
    t.string('task_to_complete_id', 32).nullable();
    t.string('note_id', 32).nullable();
    t.bigInteger('note_session_started_at').nullable();
    t.bigInteger('note_session_last_at').nullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['portal_id']);
  });
  await db.schema.alterTable('line_accounts', (t) => {
    t.boolean('auto_create_companies').notNullable().defaultTo(false);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('line_accounts', (t) => {
    t.dropColumn('auto_create_companies');
  });
  await db.schema.dropTable('group_conversations');
  await db.schema.dropTable('group_messages');
  await db.schema.alterTable('line_group_members', (t) => {
    t.dropColumn('display_name');
    t.dropColumn('picture_url');
    t.dropColumn('profile_refreshed_at');
  });
  await db.schema.alterTable('line_groups', (t) => {
    t.dropIndex(['portal_id', 'company_id']);
    t.dropUnique(['line_account_id', 'company_id'], 'line_groups_company_unique');
    for (const c of ['group_name', 'picture_url', 'member_count', 'summary_fetched_at', 'company_id', 'linked_at', 'linked_via', 'company_create_started_at', 'reply_token', 'reply_token_expires_at']) t.dropColumn(c);
  });
}
