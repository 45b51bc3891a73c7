import type { Knex } from 'knex';

// A stored webhook event waits for its inbound.event job with dispatched_at empty (inbound/event-dispatch.ts):
// the webhook writes only the events, in one statement, and a worker gives them their jobs. The partial index
// holds only the events still waiting, so finding them reads a handful of entries however large the table.
// Events stored before this migration already have their jobs.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('inbound_events', (t) => {
    t.bigInteger('dispatched_at').nullable();
  });
  await db('inbound_events').update({ dispatched_at: db.ref('received_at') });
  await db.schema.alterTable('inbound_events', (t) => {
    t.index(['id'], 'inbound_events_undispatched_idx', { predicate: db.whereNull('dispatched_at') });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('inbound_events', (t) => {
    t.dropIndex(['id'], 'inbound_events_undispatched_idx');
    t.dropColumn('dispatched_at');
  });
}
