// A separate worker process for the queue tests: `node test/jobs/worker-process.ts <databaseUrl> <mode>`.
// mode "record": handler 'record' inserts a row into job_runs (the test's own table, no feature's) per run, to count runs across processes.
// mode "hang": handler 'hang' marks job_runs then never finishes (the test kills the process).
import { openDatabase } from '../../backend/src/db/database.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
import { Worker, type JobHandlers } from '../../backend/src/jobs/worker.ts';
import { createLogger } from '../../backend/src/observability/logger.ts';

const [databaseUrl, mode] = process.argv.slice(2);
const db = openDatabase(databaseUrl);
const queue = new JobQueue(db);
const workerId = `${mode}-${process.pid}`;

const handlers: JobHandlers =
  mode === 'hang'
    ? {
        hang: {
          async run(job) {
            await db('job_runs').insert({ job_id: job.id, worker: workerId, partition_key: job.partitionKey, seq: 0 });
            await new Promise(() => {});
          },
        },
      }
    : {
        record: {
          async run(job) {
            const payload = job.payload as { seq: number };
            await db('job_runs').insert({ job_id: job.id, worker: workerId, partition_key: job.partitionKey, seq: payload.seq });
          },
        },
      };

// The hang test waits for the dead worker's lease to expire, so it is short there. Recording workers keep theirs
// long: a lease renewed every third of 800 ms lapses whenever a loaded machine starves the process for a second,
// and a lapsed lease is rightly run again, which is not what the exactly-once count is about.
const leaseMs = mode === 'hang' ? 800 : 15_000;
const worker = new Worker({ queue, handlers, logger: createLogger({ level: 'silent' }), concurrency: 4, pollMs: 20, leaseMs, workerId });
worker.start();
process.send?.('ready');
process.on('SIGTERM', async () => {
  await worker.stop(5000);
  await db.destroy();
  process.exit(0);
});
