import type { Knex } from 'knex';

// HubSpot roles whose users may change the app's settings besides super admins, chosen per portal by one
// of its super admins (space-separated role ids, like `scopes`). Empty: super admins only.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.text('admin_role_ids').notNullable().defaultTo('');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('portals', (t) => {
    t.dropColumn('admin_role_ids');
  });
}
