import type { Knex } from 'knex';

// The hs_timestamp of a company owner task or session note created for a group without a known answer,
// so a retry finds that object among the company's associations instead of creating a second one.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('group_conversations', (t) => {
    t.bigInteger('task_create_marker').nullable();
    t.bigInteger('note_create_marker').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('group_conversations', (t) => {
    t.dropColumn('task_create_marker');
    t.dropColumn('note_create_marker');
  });
}
