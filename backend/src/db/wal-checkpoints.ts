// SQLite in WAL mode copies its log back into the database file (a checkpoint: page copies and two
// fsyncs) inside the commit that takes the log past wal_autocheckpoint pages. With one connection, that
// commit and every request queued behind it wait for the disk: the tail of the webhook acknowledgement.
// Here a connection of its own checkpoints on a timer instead, on a thread of its own
// (wal-checkpoint-thread.ts). PASSIVE never blocks the writer, which keeps appending to the log meanwhile;
// the log restarts from its beginning once a checkpoint has caught up.
// Under steady writes it may never catch up: a checkpoint takes milliseconds and a commit comes every few,
// so each one ends a few commits behind and the log (and its file) grows on (4 MB a second at 500 webhooks a
// second). A log past LOG_LIMIT_PAGES gets, right after a passive checkpoint that copied it, a TRUNCATE one:
// it holds new commits back for the moment it takes to copy those few commits and empty the file, and
// waits for readers at most TRUNCATE_WAIT_MS (else it tries again next time).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sqliteFilename } from './database.ts';
import type { CheckpointThreadOptions } from './wal-checkpoint-thread.ts';

/** How often the log is copied back; at ingest's peak rate some thousand pages accumulate meanwhile. */
const INTERVAL_MS = 500;
/** A log of this many pages (64 MB) or more is emptied (see above). */
const LOG_LIMIT_PAGES = 16_384;
/** How long a TRUNCATE checkpoint, which holds commits back meanwhile, waits for readers and writers. */
const TRUNCATE_WAIT_MS = 20;

export interface WalCheckpoints {
  /** Resolves once the thread has its connection and its timer runs. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Starts checkpointing a SQLite file database; undefined for PostgreSQL and in-memory SQLite, which have no log to copy. */
export function startWalCheckpoints(
  databaseUrl: string,
  onError: (error: unknown) => void,
  intervalMs = INTERVAL_MS,
  logLimitPages = LOG_LIMIT_PAGES,
): WalCheckpoints | undefined {
  if (!databaseUrl.startsWith('sqlite:') || sqliteFilename(databaseUrl) === ':memory:') return undefined;
  const options: CheckpointThreadOptions = { filename: sqliteFilename(databaseUrl), intervalMs, logLimitPages, truncateWaitMs: TRUNCATE_WAIT_MS };
  // The thread's module sits next to this one, as .ts in the sources and .js once built.
  const script = new URL(`./wal-checkpoint-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  const thread = new Worker(script, { workerData: options });
  const ready = new Promise<void>((resolve) => {
    thread.on('message', (message: { ready?: true; error?: unknown }) => (message.ready ? resolve() : onError(message.error)));
  });
  // A thread that fails (its database cannot be opened, say) reports it and ends; SQLite's own
  // autocheckpoint (database.ts) then bounds the log.
  thread.on('error', onError);
  // The thread never keeps the process alive; stop() ends it.
  thread.unref();
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  return {
    ready,
    async stop() {
      thread.postMessage('stop');
      await exited;
    },
  };
}
