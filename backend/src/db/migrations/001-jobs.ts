import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('jobs', (t) => {
    t.bigIncrements('id').primary();
    t.string('type', 100).notNullable();
    t.text('payload').notNullable();
    // Jobs sharing a partition key run one at a time, in id order (e.g. the events of one LINE user).
    t.string('partition_key', 200).nullable();
    // A second enqueue with the same dedupe key is a no-op (kept until the job row is purged).
    t.string('dedupe_key', 300).nullable().unique();
    // Portal whose jobs these are: lets a portal be paused (HubSpot DAILY limit) or erased (uninstall).
    t.bigInteger('portal_id').nullable();
    t.string('state', 16).notNullable(); // queued | running | done | dead
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable();
    t.bigInteger('run_at').notNullable();
    t.string('locked_by', 100).nullable();
    t.bigInteger('locked_until').nullable();
    t.text('last_error').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('finished_at').nullable();
    t.index(['state', 'type', 'run_at'], 'jobs_due_idx');
    t.index(['partition_key', 'id'], 'jobs_partition_idx');
    t.index(['portal_id'], 'jobs_portal_idx');
  });
  await db.schema.createTable('job_pauses', (t) => {
    t.bigInteger('portal_id').primary();
    t.bigInteger('paused_until').notNullable();
    t.text('reason').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('job_pauses');
  await db.schema.dropTable('jobs');
}
