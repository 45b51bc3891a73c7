// Direct transactions (db/direct-transaction.ts) on SQLite: statements are kept prepared per connection,
// a throwing transaction leaves nothing behind, and the pool still closes its connection cleanly (SQLite
// refuses to close one with statements prepared).
import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase } from '../../backend/src/db/database.ts';
import { inDirectTransaction } from '../../backend/src/db/direct-transaction.ts';

interface ClosableConnection {
  close(callback: (error: Error | null) => void): void;
}

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

  it('lets the pool close the connection without an error after statements were kept', async () => {
    db = openDatabase('sqlite::memory:');
    await db.raw('create table t (a integer)');
    await inDirectTransaction(db, (conn) => conn.rows('insert into t (a) values (?) returning a', [1]));
    const raw = (await db.client.acquireConnection()) as ClosableConnection;
    await db.client.releaseConnection(raw);
    const close = raw.close.bind(raw);
    const closed = new Promise<Error | null>((resolve) => {
      raw.close = (callback) => close((error) => (resolve(error), callback(error)));
    });
    await db.destroy();
    db = undefined;
    expect(await closed).toBeNull();
  });
});
