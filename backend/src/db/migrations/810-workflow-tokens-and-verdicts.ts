import type { Knex } from 'knex';

// Contact tokens and LINE's verdicts on workflow messages (issue 11).
// `contact_values`: the values HubSpot sent with the execution for the properties the step's tokens need
// (JSON, null when the messages have no token); the send job renders with them, and stores the rendered
// messages in `messages` together with `send_key`, so a retry resends exactly what LINE may have received.
// `line_message_verdicts`: what LINE's validate endpoint said about a set of message objects, by the hash
// of their JSON, so the same JSON is validated once.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('workflow_executions', (t) => {
    t.text('contact_values').nullable();
  });
  await db.schema.createTable('line_message_verdicts', (t) => {
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.string('content_hash', 64).notNullable();
    t.boolean('valid').notNullable();
    t.text('problem').nullable(); // LINE's message and details when it refused the messages
    t.bigInteger('checked_at').notNullable();
    t.primary(['portal_id', 'content_hash']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('line_message_verdicts');
  await db.schema.alterTable('workflow_executions', (t) => {
    t.dropColumn('contact_values');
  });
}
