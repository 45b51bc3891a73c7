import type { Knex } from 'knex';

// The company and contact each group member was last associated as: a member who keeps writing in a linked
// group is associated once, not again on every message (a HubSpot call each), until the company or the
// member's contact changes.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('line_group_members', (t) => {
    t.bigInteger('associated_company_id').nullable();
    t.bigInteger('associated_contact_id').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('line_group_members', (t) => {
    t.dropColumn('associated_company_id');
    t.dropColumn('associated_contact_id');
  });
}
