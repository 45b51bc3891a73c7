import type { Knex } from 'knex';

// Settings-page operations that take longer than a hubspot.fetch may wait (15 s): connecting an account,
// replacing its credentials, LINE's webhook test, the health check of a portal's accounts. The request
// answers 202 with the operation's id at once; the page polls the row, which any web process can answer.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('account_operations', (t) => {
    t.string('id', 36).primary();
    t.bigInteger('portal_id').notNullable().references('portal_id').inTable('portals').onDelete('CASCADE');
    t.bigInteger('line_account_id').nullable();
    t.string('kind', 32).notNullable(); // connect | update | webhook_test | health_check
    t.string('state', 16).notNullable(); // running | succeeded | failed
    t.string('step', 32).nullable();
    t.integer('done').notNullable().defaultTo(0);
    t.integer('total').notNullable().defaultTo(0);
    // JSON: the failure as the API would have answered it ({ status, code, message }), or the outcome.
    t.text('error').nullable();
    t.text('result').nullable();
    // A running operation past this is reported as interrupted (its process stopped before it finished).
    t.bigInteger('deadline_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['portal_id', 'kind', 'state'], 'account_operations_portal_kind_idx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('account_operations');
}
