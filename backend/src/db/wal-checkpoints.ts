// SQLite in WAL mode copies its log back into the database file (a checkpoint: page copies and two
// fsyncs) inside the commit that takes the log past wal_autocheckpoint pages. Left to that, one commit in
// a thousand pages waits for a large copy, and every request queued behind it: the tail of the webhook
// acknowledgement. Here a connection of its own checkpoints on a timer instead, between requests, on the
// main thread like every other query (node-sqlite-client.ts).
//   Most of a checkpoint's time is its first fsync, which writes the log's new pages to the disk. That
// part runs first on a thread of libuv's pool (flushLog), so the checkpoint itself finds little left to
// write: at 500 webhooks a second, half a second's log (about 550 pages) took 4.3 ms of the main thread
// (max 14) without it, 1.9 ms (max 2.6) with it. Where the disk is slow, checkpoints are spaced out so
// that they take at most MAX_SHARE of the main thread's time.
//   Why not on a thread of its own: a Node worker thread costs about 15 MB of resident memory, which took
// an idle backend past its 120 MB budget, for a job of a few milliseconds a second.
//   PASSIVE never waits for other connections; it copies what it can. With every write of this process on
// this thread it usually copies the whole log, and the next commit starts the log from its beginning.
// Writes of other processes (a worker role, migrations) may keep it a few commits behind, and the log's
// file then grows on: a log past LOG_LIMIT_PAGES gets, right after a passive checkpoint that copied it, a
// TRUNCATE one, which empties the file unless another connection is busy (then it is tried again next time).
import { closeSync, fdatasync, openSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { sqliteFilename } from './database.ts';

/** The pause between checkpoints, unless the last one took long (MAX_SHARE) or failed. */
const INTERVAL_MS = 500;
/** A log of this many pages (64 MB) or more is emptied (see above). */
const LOG_LIMIT_PAGES = 16_384;
/** The share of the main thread's time checkpoints may take: a checkpoint that took d ms is followed by a pause of d / MAX_SHARE at least. */
const MAX_SHARE = 0.05;
/** The pause after a failed checkpoint, so that a lasting fault (a full disk, say) is reported a few times a minute, not ten times a second. */
const PAUSE_AFTER_FAILURE_MS = 10_000;

export interface WalCheckpoints {
  stop(): void;
}

/** What PRAGMA wal_checkpoint answers: whether it was blocked, the log's pages, and how many are in the database file. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Starts checkpointing a SQLite file database; undefined for PostgreSQL and in-memory SQLite, which have no
 * log to copy. Failures (the file cannot be opened, a checkpoint fails) go to `onError`, and the next attempt
 * follows after a pause; SQLite's own autocheckpoint (database.ts) bounds the log meanwhile.
 */
export function startWalCheckpoints(
  databaseUrl: string,
  onError: (error: unknown) => void,
  intervalMs = INTERVAL_MS,
  logLimitPages = LOG_LIMIT_PAGES,
): WalCheckpoints | undefined {
  if (!databaseUrl.startsWith('sqlite:') || sqliteFilename(databaseUrl) === ':memory:') return undefined;
  const filename = sqliteFilename(databaseUrl);
  let db: DatabaseSync | undefined;
  let passive: ReturnType<DatabaseSync['prepare']> | undefined;
  let truncateNext = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let logFd: number | undefined;
  let flushing = false;

  function checkpoint(): void {
    if (!db) {
      db = new DatabaseSync(filename);
      // Never wait for another connection's lock here: the wait would hold up the whole event loop.
      db.exec('PRAGMA busy_timeout = 0');
      passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    }
    if (truncateNext) {
      truncateNext = false;
      db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
      return;
    }
    const result = passive!.get() as CheckpointResult | undefined;
    truncateNext = result !== undefined && result.log >= logLimitPages && result.checkpointed === result.log;
  }

  /**
   * Has the kernel write the log's new pages to the disk on a thread of libuv's pool, then calls `then`: most
   * of a checkpoint's time is its first fsync, which writes them (8 µs a page here); after this it finds
   * little left to write. SQLite's own fsyncs still run, so nothing is less durable than without it.
   */
  function flushLog(then: () => void): void {
    try {
      // Only the log's file: closing a descriptor of the database file would drop SQLite's locks on it.
      logFd ??= openSync(`${filename}-wal`, 'r');
    } catch {
      return then(); // no log yet
    }
    const fd = logFd;
    flushing = true;
    // A failed flush is the checkpoint's to report: its own fsync fails the same way.
    fdatasync(fd, () => {
      flushing = false;
      if (stopped) closeSync(fd);
      else then();
    });
  }

  function next(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(
      () =>
        flushLog(() => {
          const startedAt = performance.now();
          try {
            checkpoint();
          } catch (error) {
            onError(error);
            return next(Math.max(intervalMs, PAUSE_AFTER_FAILURE_MS));
          }
          next(Math.max(intervalMs, (performance.now() - startedAt) / MAX_SHARE));
        }),
      delayMs,
    );
    // Checkpoints never keep the process alive; stop() ends them.
    timer.unref();
  }

  next(intervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      db?.close();
      db = undefined;
      // A flush in progress closes the descriptor when it ends.
      if (logFd !== undefined && !flushing) closeSync(logFd);
      logFd = undefined;
    },
  };
}
