// Migrations run in the order of their numbers: four-digit ones (1000 and up) after the three-digit ones,
// though "1010" sorts before "302" as text.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/databases.ts';

describe('migrations', () => {
  let database: TestDatabase;
  let db: Knex;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    db = openDatabase(database.url);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('applies every migration file, in the order of its number', async () => {
    const files = readdirSync(new URL('../../backend/src/db/migrations/', import.meta.url)).filter((f) => f.endsWith('.ts'));
    expect(files.some((f) => /^\d{4}-/.test(f))).toBe(true);
    const applied = await migrateToLatest(db);
    const numbers = applied.map((name) => parseInt(name, 10));
    expect(applied).toHaveLength(files.length);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(await db.schema.hasColumn('line_group_members', 'associated_company_id')).toBe(true);
  });
});

describe.runIf(postgresAvailable())('migrations on PostgreSQL', () => {
  it('stores webhook delivery bodies uncompressed, out of line', async () => {
    const database = await createTestDatabase('postgres');
    const db = openDatabase(database.url);
    try {
      await migrateToLatest(db);
      const { rows } = (await db.raw(
        "select attstorage from pg_attribute where attrelid = 'inbound_deliveries'::regclass and attname = 'body'",
      )) as { rows: Array<{ attstorage: string }> };
      // 'e' (external): out of line, never compressed; text columns are 'x' (extended, compressed) by default.
      expect(rows).toEqual([{ attstorage: 'e' }]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
