// SQLite's log is copied into the database file by the runtime's own checkpoint connection, small and often,
// not inside the commits that requests wait for.
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
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
    checkpoints?.stop();
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

  it('empties a log that has grown past its limit, so that a burst of writes does not leave a large file behind', async () => {
    await openWithFiller();
    const walSize = () => statSync(`${sqliteFilename(database.url)}-wal`).size;
    // A checkpoint every 5 ms with a limit of 200 pages. A passive checkpoint starts the log over, but never
    // makes its file smaller: only the truncating one does.
    checkpoints = startWalCheckpoints(database.url, (error) => {
      throw error;
    }, 5, 200);
    // One transaction of about 350 pages: no checkpoint can run inside it.
    await db.transaction((trx) => trx.batchInsert('filler', Array.from({ length: 600 }, () => ({ body: 'x'.repeat(ROW_BYTES) })), 100));
    const grown = walSize();
    expect(grown).toBeGreaterThan(300 * PAGE);
    await vi.waitFor(() => expect(walSize()).toBe(0), { timeout: 5_000, interval: 5 });
    expect(Number((await db('filler').count({ n: '*' }).first())?.n)).toBe(600);
  });

  it('closes its descriptor of the log when stopped, also while the log is being flushed', async () => {
    await openWithFiller();
    const log = `${realpathSync(sqliteFilename(database.url))}-wal`;
    const descriptorsOfLog = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === log;
        } catch {
          return false; // closed meanwhile
        }
      }).length;
    await writeRows(1);
    const before = descriptorsOfLog();
    expect(before).toBeGreaterThanOrEqual(1); // the test connection's own: the count sees the log
    for (let i = 0; i < 20; i++) {
      const running = startWalCheckpoints(database.url, (error) => {
        throw error;
      }, 1);
      await writeRows(2);
      await new Promise((r) => setTimeout(r, i % 4));
      running!.stop();
    }
    await new Promise((r) => setTimeout(r, 100)); // flushes still running end
    expect(descriptorsOfLog()).toBe(before);
  });

  it('reports a database it cannot open, pauses before trying again, and stops without an error', async () => {
    const errors: unknown[] = [];
    const failing = startWalCheckpoints(`sqlite:///no-such-directory-${Date.now()}/x.sqlite`, (error) => errors.push(error), 5);
    await vi.waitFor(() => expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/unable to open database/) })]), { timeout: 10_000 });
    // At a checkpoint every 5 ms, a lasting fault would otherwise be reported some sixty times meanwhile.
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toHaveLength(1);
    failing!.stop();
  });

  it('is not started for PostgreSQL or an in-memory database', () => {
    expect(startWalCheckpoints('postgres://user@127.0.0.1:5432/db', () => {})).toBeUndefined();
    expect(startWalCheckpoints('sqlite::memory:', () => {})).toBeUndefined();
  });
});
