import type { Knex } from 'knex';

// The company each group member's contact was last associated with: a member who keeps writing in a
// linked group is associated once, not again on every message (one HubSpot call each).
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('line_group_members', (t) => {
    t.bigInteger('associated_company_id').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('line_group_members', (t) => {
    t.dropColumn('associated_company_id');
  });
}
