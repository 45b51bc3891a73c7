import type { Knex } from 'knex';

// inbound_events was indexed by (line_account_id, chat_id, id), which no query reads by chat: events are
// found by webhook_event_id, purged by processed_at, and erased by account and LINE user (a contact's
// privacy deletion). Keyed by chat, every stored event landed on a random page of that index, and a
// webhook's commit wrote one more page per event (about a quarter of its SQLite time under load). By
// line_account_id alone, new entries go at the end of their account's range, and an erasure reads that
// account's retained events (at most 7 days of them) instead of the whole table.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('inbound_events', (t) => {
    t.dropIndex(['line_account_id', 'chat_id', 'id']);
    t.index(['line_account_id'], 'inbound_events_account_idx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('inbound_events', (t) => {
    t.dropIndex(['line_account_id'], 'inbound_events_account_idx');
    t.index(['line_account_id', 'chat_id', 'id']);
  });
}
