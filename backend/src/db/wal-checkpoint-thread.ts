// The thread that checkpoints a SQLite file for wal-checkpoints.ts (which says when and why), on a connection
// of its own: a checkpoint copies pages and waits for the disk, which on the main thread would hold up every
// request meanwhile. It tells its parent { ready: true } once it runs, and each failure as { error }.
import { parentPort, workerData } from 'node:worker_threads';
import { DatabaseSync } from 'node:sqlite';

export interface CheckpointThreadOptions {
  filename: string;
  intervalMs: number;
  logLimitPages: number;
  truncateWaitMs: number;
}

/** What PRAGMA wal_checkpoint answers: whether it was blocked, the log's pages, and how many are in the database file. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const { filename, intervalMs, logLimitPages, truncateWaitMs } = workerData as CheckpointThreadOptions;
const db = new DatabaseSync(filename);
let truncateNext = false;

function checkpoint(): void {
  const mode = truncateNext ? 'TRUNCATE' : 'PASSIVE';
  truncateNext = false;
  // A passive checkpoint never waits, so this connection's wait matters to the truncating ones only.
  db.exec(`PRAGMA busy_timeout = ${mode === 'TRUNCATE' ? truncateWaitMs : 0}`);
  const result = db.prepare(`PRAGMA wal_checkpoint(${mode})`).get() as CheckpointResult | undefined;
  truncateNext = mode === 'PASSIVE' && result !== undefined && result.log >= logLimitPages && result.checkpointed === result.log;
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    parentPort?.postMessage({ error });
  }
}, intervalMs);

parentPort?.postMessage({ ready: true });
parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
