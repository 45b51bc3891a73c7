// Direct transactions (db/direct-transaction.ts) on SQLite: statements are kept prepared per connection,
// a throwing transaction leaves nothing behind, and the pool still closes its connection with statements
// prepared on it. On each engine: inserts of many rows, JSON columns.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../backend/src/db/database.ts';
import { inDirectTransaction } from '../../backend/src/db/direct-transaction.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';

describe('direct transactions on SQLite', () => {
  let db: Knex | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it('commits what resolves, rolls back what throws, and reuses statements', async () => {
    db = openDatabase('sqlite::memory:');
    await db.raw('create table t (a integer not null)');
    for (let i = 1; i <= 3; i++) await inDirectTransaction(db, (conn) => conn.rows('insert into t (a) values (?) returning a', [i]));
    await expect(
      inDirectTransaction(db, async (conn) => {
        await conn.rows('insert into t (a) values (?) returning a', [4]);
        await conn.rows('insert into t (a) values (?) returning a', [null]);
      }),
    ).rejects.toThrow(/NOT NULL/);
    expect((await db('t').orderBy('a')).map((r) => r.a)).toEqual([1, 2, 3]);
    // The statement that failed is kept, and runs again.
    await inDirectTransaction(db, (conn) => conn.rows('insert into t (a) values (?) returning a', [5]));
    expect((await db('t').orderBy('a')).map((r) => r.a)).toEqual([1, 2, 3, 5]);
  });

  it('lets the pool close the connection after statements were kept', async () => {
    db = openDatabase('sqlite::memory:');
    await db.raw('create table t (a integer)');
    await inDirectTransaction(db, (conn) => conn.rows('insert into t (a) values (?) returning a', [1]));
    const raw = (await db.client.acquireConnection()) as DatabaseSync;
    await db.client.releaseConnection(raw);
    expect(raw.isOpen).toBe(true);
    await db.destroy();
    db = undefined;
    expect(raw.isOpen).toBe(false);
  });
});

describe.each(engines())('direct inserts on %s', (engine) => {
  let testDb: TestDatabase;
  let db: Knex;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    db = openDatabase(testDb.url, { quiet: true });
    await db.schema.createTable('docs', (t) => {
      t.increments('id');
      t.string('key', 64).notNullable().unique();
      t.text('body');
      t.boolean('flag').notNullable();
    });
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  it('stores many rows in statements of bounded size, JSON columns as their JSON text, each new key once', async () => {
    const body = (i: number) => ({ i, text: `"quoted" \\ 日本語 😀\n${'x'.repeat(i === 7 ? 50_000 : 400)}`, nested: { list: [1, null, true] } });
    const rows = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, body: body(i), flag: i % 2 === 0 }));
    // k5 comes twice (the second is ignored), and one row is longer than a statement's rows may be.
    const answered = await inDirectTransaction(db, (conn) =>
      conn.insert<{ key: string }>('docs', ['key', 'body', 'flag'], [...rows, { key: 'k5', body: { other: true }, flag: false }], {
        json: ['body'],
        ignoreConflictOn: 'key',
        returning: ['key'],
      }),
    );
    expect(answered.map((r) => r.key).sort()).toEqual(rows.map((r) => r.key).sort());
    const stored = await db('docs').orderBy('id');
    expect(stored).toHaveLength(300);
    for (const row of stored) {
      const i = Number(String(row.key).slice(1));
      expect(JSON.parse(row.body)).toEqual(body(i));
      expect(Boolean(row.flag)).toBe(i % 2 === 0);
    }
  });
});
