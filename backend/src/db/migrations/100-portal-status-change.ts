import type { Knex } from 'knex';

// When and why a portal's install status last changed: an uninstall noticed on HubSpot's side starts a
// grace period (see install/uninstall.ts) measured from status_changed_at.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.bigInteger('status_changed_at').nullable();
    t.text('status_reason').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.dropColumn('status_reason');
    t.dropColumn('status_changed_at');
  });
}
