// SQLite in WAL mode copies its log back into the database file (a checkpoint: page copies and two
// fsyncs) inside the commit that takes the log past wal_autocheckpoint pages. With one connection, that
// commit and every request queued behind it wait for the disk: the tail of the webhook acknowledgement.
// Here a connection of its own checkpoints on a timer instead. PASSIVE never blocks the writer, which keeps
// appending to the log meanwhile; the log restarts from its beginning once a checkpoint has caught up.
// Under steady writes it may never catch up: a checkpoint takes milliseconds and a commit comes every few,
// so each one ends a few commits behind and the log (and its file) grows on (4 MB a second at 500 webhooks a
// second). A log past LOG_LIMIT_PAGES gets, right after a passive checkpoint that copied it, a TRUNCATE one:
// it holds new commits back for the moment it takes to copy those few commits and empty the file, and
// waits for readers at most TRUNCATE_WAIT_MS (else it tries again next time).
import { openDatabase, sqliteFilename } from './database.ts';

/** How often the log is copied back; at ingest's peak rate some thousand pages accumulate meanwhile. */
const INTERVAL_MS = 500;
/** A log of this many pages (64 MB) or more is emptied (see above). */
const LOG_LIMIT_PAGES = 16_384;
/** How long a TRUNCATE checkpoint, which holds commits back meanwhile, waits for readers and writers. */
const TRUNCATE_WAIT_MS = 20;

/** What PRAGMA wal_checkpoint answers: whether it was blocked, the log's pages, and how many are in the database file. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalCheckpoints {
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
  const db = openDatabase(databaseUrl);
  let running: Promise<void> | undefined;
  let truncateNext = false;
  const checkpoint = async (): Promise<void> => {
    const mode = truncateNext ? 'TRUNCATE' : 'PASSIVE';
    truncateNext = false;
    // A passive checkpoint never waits, so this connection's wait, set here, matters to the truncating ones only.
    if (mode === 'TRUNCATE') await db.raw(`PRAGMA busy_timeout = ${TRUNCATE_WAIT_MS}`);
    const [result] = (await db.raw(`PRAGMA wal_checkpoint(${mode})`)) as CheckpointResult[];
    truncateNext = mode === 'PASSIVE' && result !== undefined && result.log >= logLimitPages && result.checkpointed === result.log;
  };
  const timer = setInterval(() => {
    // A checkpoint slower than the interval is not queued behind: the next tick finds it done or skips.
    running ??= checkpoint().then(
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
