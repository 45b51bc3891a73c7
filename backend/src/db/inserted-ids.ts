// The ids an insert's `returning('id')` answers, as numbers: PostgreSQL answers rows ({ id }), SQLite
// may answer the ids themselves. Shared by the repositories that store outbound messages in bulk.
import type { Knex } from 'knex';

export const insertedId = (inserted: unknown): number =>
  Number(typeof inserted === 'object' && inserted !== null ? (inserted as { id: unknown }).id : inserted);

/** Inserts `rows` into `table`, one statement per 100, in `db` (a transaction when given); answers their ids in the same order. */
export async function insertReturningIds(db: Knex, table: string, rows: object[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 100) {
    const inserted = (await db(table).insert(rows.slice(i, i + 100)).returning('id')) as unknown[];
    ids.push(...inserted.map(insertedId).sort((x, y) => x - y));
  }
  return ids;
}
