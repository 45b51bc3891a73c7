// SQLite in WAL mode copies its log back into the database file (a checkpoint: page copies and two
// fsyncs) inside the commit that takes the log past wal_autocheckpoint pages. With one connection, that
// commit and every request queued behind it wait for the disk: the tail of the webhook acknowledgement.
// Here a connection of its own checkpoints on a timer instead. PASSIVE never blocks the writer, which keeps
// appending to the log meanwhile; the log restarts from its beginning once a checkpoint has caught up.
import { openDatabase, sqliteFilename } from './database.ts';

/** How often the log is copied back; at ingest's peak rate some thousand pages accumulate meanwhile. */
const INTERVAL_MS = 500;

export interface WalCheckpoints {
  stop(): Promise<void>;
}

/** Starts checkpointing a SQLite file database; undefined for PostgreSQL and in-memory SQLite, which have no log to copy. */
export function startWalCheckpoints(databaseUrl: string, onError: (error: unknown) => void, intervalMs = INTERVAL_MS): WalCheckpoints | undefined {
  if (!databaseUrl.startsWith('sqlite:') || sqliteFilename(databaseUrl) === ':memory:') return undefined;
  const db = openDatabase(databaseUrl);
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A checkpoint slower than the interval is not queued behind: the next tick finds it done or skips.
    running ??= db.raw('PRAGMA wal_checkpoint(PASSIVE)').then(
      () => undefined,
      onError,
    ).finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await db.destroy();
    },
  };
}
