import type { Knex } from 'knex';

// A verified LINE webhook delivery waits here, its body as LINE sent it, until a worker unpacks it into
// inbound_events (inbound/event-dispatch.ts). The acknowledgement writes one row per delivery whatever its
// number of events: each event row, with its four index entries and eleven bound values, cost the 200 more
// than everything else a 20-event delivery does. Rows live milliseconds to a poll interval, so no index
// beyond the key: erasing a portal or an account reads a table of a few rows.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('inbound_deliveries', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable();
    t.bigInteger('line_account_id').notNullable().references('id').inTable('line_accounts').onDelete('CASCADE');
    t.text('body').notNullable();
    t.bigInteger('received_at').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('inbound_deliveries');
}
