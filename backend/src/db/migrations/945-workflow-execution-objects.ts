import type { Knex } from 'knex';

// Company workflows (issue 17): an execution enrolls a contact, whose LINE user gets the messages, or a
// company, whose LINE group gets them. `object_type` says which (contact | company); the columns that
// named a contact and its LINE user now name the enrolled record, the LINE id it is sent to (a user or a
// group) and the record's property values the tokens need.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('workflow_executions', (t) => {
    t.renameColumn('contact_id', 'object_id');
    t.renameColumn('line_user_id', 'line_recipient_id');
    t.renameColumn('contact_values', 'object_values');
  });
  await db.schema.alterTable('workflow_executions', (t) => {
    t.string('object_type', 16).notNullable().defaultTo('contact');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('workflow_executions', (t) => {
    t.dropColumn('object_type');
  });
  await db.schema.alterTable('workflow_executions', (t) => {
    t.renameColumn('object_id', 'contact_id');
    t.renameColumn('line_recipient_id', 'line_user_id');
    t.renameColumn('object_values', 'contact_values');
  });
}
