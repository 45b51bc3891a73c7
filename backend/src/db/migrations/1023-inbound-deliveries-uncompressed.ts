import type { Knex } from 'knex';
import { dialectOf } from '../database.ts';

// PostgreSQL compresses a text value of more than about 2 KB before storing it (pglz). A delivery's body lives
// only until a worker unpacks it, and compressing a 20-event body (12 KB) cost PostgreSQL's server about as
// much CPU as the backend's whole handling of that delivery: bodies are stored out of line, uncompressed.
// SQLite never compresses.
export async function up(db: Knex): Promise<void> {
  if (dialectOf(db) === 'postgres') await db.raw('alter table inbound_deliveries alter column body set storage external');
}

export async function down(db: Knex): Promise<void> {
  if (dialectOf(db) === 'postgres') await db.raw('alter table inbound_deliveries alter column body set storage extended');
}
