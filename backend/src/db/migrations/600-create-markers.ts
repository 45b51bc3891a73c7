import type { Knex } from 'knex';

// An owner task or session note is created with an hs_timestamp stored here first. When HubSpot's answer
// to the create is lost (5xx, timeout, crash), the next pass finds the object by that timestamp instead
// of creating a second one; the marker is cleared once the object's id is known.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('conversations', (t) => {
    t.bigInteger('task_create_marker').nullable();
    t.bigInteger('note_create_marker').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('conversations', (t) => {
    t.dropColumn('note_create_marker');
    t.dropColumn('task_create_marker');
  });
}
