import type { Knex } from 'knex';

// Conversation state per LINE link (shared by inbound processing and the chat panel): the unanswered
// flag, the owner's open task, last inbound/outbound dates and the timeline note of the current session.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('conversations', (t) => {
    t.bigInteger('link_id').primary().references('id').inTable('line_links').onDelete('CASCADE');
    t.bigInteger('portal_id').notNullable();
    t.boolean('unanswered').notNullable().defaultTo(false);
    t.bigInteger('unanswered_since').nullable();
    t.text('unanswered_message').nullable();
    t.bigInteger('unanswered_message_id').nullable(); // messages.id of the latest unanswered message
    t.bigInteger('last_inbound_at').nullable();
    t.bigInteger('last_outbound_at').nullable();
    t.string('open_task_id', 32).nullable();
    // Set while a task is being completed: the answer came, the task must be closed even if it takes retries.
    t.string('task_to_complete_id', 32).nullable();
    t.string('note_id', 32).nullable();
    t.bigInteger('note_session_started_at').nullable();
    t.bigInteger('note_session_last_at').nullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['portal_id']);
  });
  // Set just before a contact is created for a link: a retry after a crash waits for HubSpot's search
  // index instead of creating a second contact.
  await db.schema.alterTable('line_links', (t) => {
    t.bigInteger('contact_create_started_at').nullable();
  });
  // HubSpot answered "no such app event type" for this portal: log on notes until this time.
  await db.schema.alterTable('portals', (t) => {
    t.bigInteger('app_events_unavailable_until').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.dropColumn('app_events_unavailable_until');
  });
  await db.schema.alterTable('line_links', (t) => {
    t.dropColumn('contact_create_started_at');
  });
  await db.schema.dropTable('conversations');
}
