import type { Knex } from 'knex';

// The LINE account a job works for, as a column (not buried in each payload): the settings page counts an
// account's failed jobs, retries them, and removing the account removes its jobs, all by this column.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('jobs', (t) => {
    t.bigInteger('line_account_id').nullable();
    t.index(['line_account_id', 'state'], 'jobs_line_account_idx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('jobs', (t) => {
    t.dropIndex(['line_account_id', 'state'], 'jobs_line_account_idx');
    t.dropColumn('line_account_id');
  });
}
