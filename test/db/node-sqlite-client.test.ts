// Knex's SQLite client on node:sqlite (db/node-sqlite-client.ts): what Knex answers for each kind of query,
// values node:sqlite cannot bind by itself, constraint errors as the code recognizes them, and the event loop
// getting its turns while a loop of queries runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isForeignKeyViolation, isUniqueViolation } from '../../backend/src/db/constraint-errors.ts';
import { openDatabase, type Database } from '../../backend/src/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('Knex on node:sqlite', () => {
  let database: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    db = openDatabase(database.url);
    await db.schema.createTable('owners', (t) => t.increments('id'));
    await db.schema.createTable('things', (t) => {
      t.increments('id');
      t.integer('owner_id').references('owners.id');
      t.string('name').unique();
      t.boolean('done');
      t.bigInteger('at');
    });
    await db('owners').insert({ id: 1 });
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });

  it('answers inserts, updates, deletes and selects as Knex does on SQLite; booleans and dates are stored as numbers', async () => {
    const at = new Date('2026-12-01T00:00:00Z');
    expect(await db('things').insert({ owner_id: 1, name: 'a', done: true, at })).toEqual([1]);
    expect(await db('things').insert({ owner_id: 1, name: 'b', done: false, at: 5 }, ['id', 'name'])).toEqual([{ id: 2, name: 'b' }]);
    expect(await db('things').where({ name: 'a' }).first('done', 'at')).toEqual({ done: 1, at: at.valueOf() });
    expect(await db('things').where({ done: false }).update({ done: true })).toBe(1);
    expect(await db('things').where({ id: 2 }).update({ name: 'c' }, ['name'])).toEqual([{ name: 'c' }]);
    expect(await db('things').orderBy('id').pluck('name')).toEqual(['a', 'c']);
    expect(await db('things').where({ id: 1 }).del()).toBe(1);
    expect(await db.raw('select count(*) as n from things')).toEqual([{ n: 1 }]);
  });

  it('reports unique and foreign key violations so that the code tells them apart', async () => {
    await db('things').insert({ owner_id: 1, name: 'taken' });
    const unique = await db('things').insert({ owner_id: 1, name: 'taken' }).catch((error: unknown) => error);
    expect([isUniqueViolation(unique), isForeignKeyViolation(unique)]).toEqual([true, false]);
    const foreign = await db('things').insert({ owner_id: 99, name: 'orphan' }).catch((error: unknown) => error);
    expect([isUniqueViolation(foreign), isForeignKeyViolation(foreign)]).toEqual([false, true]);
  });

  it('lets the event loop take turns between queries, and runs a transaction within one turn', async () => {
    // Counts the event loop's turns: each turn runs the immediates queued in the one before.
    let turns = 0;
    let counting = setImmediate(function count() {
      turns++;
      counting = setImmediate(count);
    });
    try {
      for (let i = 0; i < 50; i++) await db('things').insert({ owner_id: 1, name: `n${i}` });
      expect(turns).toBeGreaterThanOrEqual(50);
      // BEGIN waits for a turn like any query; what follows, up to COMMIT, runs without letting anything in.
      const inTransaction: number[] = [];
      await db.transaction(async (trx) => {
        for (let i = 0; i < 50; i++) {
          await trx('things').where({ name: `n${i}` }).first();
          inTransaction.push(turns);
        }
      });
      expect(new Set(inTransaction).size).toBe(1);
    } finally {
      clearImmediate(counting);
    }
  });
});
