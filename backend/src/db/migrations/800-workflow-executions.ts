import type { Knex } from 'knex';

// Executions of the "Send LINE message" workflow action (issue 11), one row per HubSpot callbackId, so a
// HubSpot retry of the same execution finds the first one instead of sending again. `send_key` is the
// X-Line-Retry-Key of the LINE request that carries the execution, stored before the first attempt.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('workflow_executions', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.string('callback_id', 255).notNullable().unique();
    t.bigInteger('line_account_id').nullable().references('id').inTable('line_accounts').onDelete('SET NULL');
    t.bigInteger('contact_id').notNullable();
    t.bigInteger('workflow_id').nullable();
    t.text('messages').notNullable(); // the LINE message objects to send (JSON)
    t.string('line_user_id', 64).nullable();
    t.string('state', 16).notNullable(); // queued | sent | not_linked | blocked | failed
    t.text('line_error').nullable();
    t.string('send_key', 64).nullable();
    t.bigInteger('first_failure_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('completed_at').nullable(); // when HubSpot accepted the outcome through the callback API
    t.index(['portal_id', 'state']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('workflow_executions');
}
