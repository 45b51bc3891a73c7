// SQLite's log is copied into the database file by the runtime's own checkpoint connection, not inside
// the commits that requests wait for; and that copy happens while the writer keeps committing.
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, sqliteFilename, type Database } from '../../backend/src/db/database.ts';
import { startWalCheckpoints, type WalCheckpoints } from '../../backend/src/db/wal-checkpoints.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const PAGE = 4096;
const ROW_BYTES = 2_400;

describe('SQLite log checkpoints', () => {
  let database: TestDatabase;
  let db: Database;
  let checkpoints: WalCheckpoints | undefined;
  afterEach(async () => {
    await checkpoints?.stop();
    await db?.destroy();
    await database?.drop();
  });

  /** A fresh SQLite database with a table to fill. */
  async function openWithFiller(): Promise<void> {
    database = await createTestDatabase('sqlite');
    db = openDatabase(database.url);
    await db.schema.createTable('filler', (t) => {
      t.increments('id');
      t.text('body');
    });
  }

  async function writeRows(transactions: number): Promise<void> {
    for (let i = 0; i < transactions; i++) {
      await db.transaction((trx) => trx('filler').insert(Array.from({ length: 20 }, () => ({ body: 'x'.repeat(ROW_BYTES) }))));
    }
  }

  it('leaves the log to the checkpoint connection, which copies it while commits go on', async () => {
    await openWithFiller();
    const file = sqliteFilename(database.url);
    const fileSize = () => statSync(file).size;
    const before = fileSize();
    // About 2,000 pages: past SQLite's default autocheckpoint of 1,000, yet no commit copied them back.
    await writeRows(100);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000 * PAGE);
    expect(fileSize()).toBe(before);

    checkpoints = startWalCheckpoints(database.url, (error) => {
      throw error;
    }, 5);
    const writing = writeRows(50);
    await vi.waitFor(() => expect(fileSize()).toBeGreaterThan(before + 2_000 * ROW_BYTES), { timeout: 10_000, interval: 10 });
    await writing;
    expect(Number((await db('filler').count({ n: '*' }).first())?.n)).toBe(3_000);
  });

  it('empties a log that has grown past its limit, so that steady writes do not grow the file without end', async () => {
    await openWithFiller();
    const walSize = () => statSync(`${sqliteFilename(database.url)}-wal`).size;
    // Commits one after another while a checkpoint runs every 5 ms, with a limit of 200 pages.
    checkpoints = startWalCheckpoints(database.url, (error) => {
      throw error;
    }, 5, 200);
    await checkpoints!.ready;
    // SQLite never makes the log's file smaller by itself: only the truncating checkpoint does.
    let largest = 0;
    let emptied = false;
    for (let i = 0; i < 100 && !emptied; i++) {
      await writeRows(5);
      const size = walSize();
      emptied = largest > 200 * PAGE && size < largest;
      largest = Math.max(largest, size);
    }
    expect(emptied).toBe(true);
    expect(largest).toBeLessThan(2_000 * PAGE);
  });

  it('reports a thread that cannot open its database, and stops without an error', async () => {
    const errors: unknown[] = [];
    const failing = startWalCheckpoints(`sqlite:///no-such-directory-${Date.now()}/x.sqlite`, (error) => errors.push(error), 5);
    await vi.waitFor(() => expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/unable to open database/) })]), { timeout: 10_000 });
    await failing!.stop();
  });

  it('is not started for PostgreSQL or an in-memory database', () => {
    expect(startWalCheckpoints('postgres://user@127.0.0.1:5432/db', () => {})).toBeUndefined();
    expect(startWalCheckpoints('sqlite::memory:', () => {})).toBeUndefined();
  });
});
