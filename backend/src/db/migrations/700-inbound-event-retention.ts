import type { Knex } from 'knex';

// A webhook event's payload (message text and all) is kept only until the event is processed: then it is
// set to null, and the row (which still dedupes LINE's redeliveries on webhook_event_id) is deleted once
// it has been processed for as long as finished jobs are kept. Events processed before this migration
// lose their payload now.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('inbound_events', (t) => {
    t.text('payload').nullable().alter();
    t.index(['processed_at']);
  });
  await db('inbound_events').whereNotNull('processed_at').update({ payload: null });
}

export async function down(db: Knex): Promise<void> {
  await db('inbound_events').whereNull('payload').update({ payload: '{}' });
  await db.schema.alterTable('inbound_events', (t) => {
    t.dropIndex(['processed_at']);
    t.text('payload').notNullable().alter();
  });
}
