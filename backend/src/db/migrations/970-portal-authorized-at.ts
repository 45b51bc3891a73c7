import type { Knex } from 'knex';

// When the portal last granted the app its authorization (install or reinstall). A job HubSpot refused with
// 401/403 after that moment would be refused again, so the settings page offers its retry only once the
// portal has been reinstalled since. Existing portals count from their first install. Left nullable: making
// it NOT NULL would rebuild the SQLite table that every portal-scoped table references.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.bigInteger('authorized_at').nullable();
  });
  await db('portals').update({ authorized_at: db.ref('installed_at') });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.dropColumn('authorized_at');
  });
}
