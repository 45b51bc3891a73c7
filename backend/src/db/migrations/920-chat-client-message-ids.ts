import type { Knex } from 'knex';

// The id the chat panel gives each message it sends: HubSpot retries a hubspot.fetch once after a 5xx or a
// lost connection, and the panel retries a send whose answer never came, so the same send can arrive twice.
// Unique per portal, so a repeat finds the stored message instead of making (and sending) a second one.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.string('client_message_id', 36).nullable();
    t.unique(['portal_id', 'client_message_id'], { indexName: 'messages_client_message_id_unique' });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.dropUnique(['portal_id', 'client_message_id'], 'messages_client_message_id_unique');
    t.dropColumn('client_message_id');
  });
}
