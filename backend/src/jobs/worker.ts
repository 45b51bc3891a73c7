// Runs job handlers: claims due jobs of every type in one statement, runs them with bounded concurrency
// (a batch takes one slot), keeps their leases alive, records the outcome, buries jobs whose worker died
// on their last attempt (on a timer), and on stop() finishes in-flight work within a deadline.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Job, JobQueue } from './queue.ts';
import type { Metrics } from '../observability/metrics.ts';

export interface SingleJobHandler {
  batch?: false;
  run(job: Job): Promise<void>;
}

/** Takes many due jobs of one type at once; returns the failures by job id (an absent id succeeded). */
export interface BatchJobHandler {
  batch: true;
  batchSize: number;
  run(jobs: Job[]): Promise<Map<number, unknown> | void>;
}

export type JobHandler = SingleJobHandler | BatchJobHandler;
export type JobHandlers = Record<string, JobHandler>;

/** Deletes what finished more than `olderThanMs` ago; resolves with how many. */
export type Purge = (olderThanMs: number) => Promise<number>;
/** Purges by what they delete (named in the log). */
export type Purges = Record<string, Purge>;

/** Turns records that wait for a job into jobs (e.g. stored webhook events); resolves with how many. */
export type Feed = () => Promise<number>;
/** Feeds by what they feed (named in the log). */
export type Feeds = Record<string, Feed>;

export interface WorkerOptions {
  queue: JobQueue;
  handlers: JobHandlers;
  logger: Logger;
  metrics?: Metrics;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  workerId?: string;
  /** Finished jobs are deleted this long after they finished (at start, then hourly); default 7 days. */
  keepDoneMs?: number;
  /** Other records kept only as long as finished jobs, purged with them. */
  purges?: Purges;
  /** Run before each claim, one after another, so that what they enqueue is claimed at once. */
  feeds?: Feeds;
}

const PURGE_INTERVAL_MS = 3_600_000;
export const KEEP_FINISHED_MS = 7 * 24 * PURGE_INTERVAL_MS;
/** How often expired leases of exhausted jobs are swept (claim skips them; the sweep dead-letters them). */
const SWEEP_INTERVAL_MS = 30_000;

export class Worker {
  readonly workerId: string;
  private readonly queue: JobQueue;
  private readonly handlers: JobHandlers;
  private readonly logger: Logger;
  private readonly metrics?: Metrics;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly keepDoneMs: number;
  private readonly purges: Purges;
  private readonly feeds: Array<[string, Feed]>;
  private purgeTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  /** Resolves when stop() is called, so a loop waiting for a free slot stops waiting at once. */
  private stopping!: Promise<void>;
  private signalStop!: () => void;
  private readonly onEnqueued = () => this.wake?.();

  constructor(options: WorkerOptions) {
    this.queue = options.queue;
    this.handlers = options.handlers;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.concurrency = options.concurrency ?? 8;
    this.pollMs = options.pollMs ?? 250;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.keepDoneMs = options.keepDoneMs ?? KEEP_FINISHED_MS;
    this.purges = { 'finished jobs': (olderThanMs) => this.queue.purgeDone(olderThanMs), ...options.purges };
    this.feeds = Object.entries(options.feeds ?? {});
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new Promise((resolve) => (this.signalStop = resolve));
    this.queue.events.on('enqueued', this.onEnqueued);
    this.loop = this.run();
    // Without this the jobs table (and its dedupe keys) would only grow.
    this.purgeFinished();
    this.purgeTimer = setInterval(() => this.purgeFinished(), PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
    this.sweepExhaustedLeases();
    this.sweepTimer = setInterval(() => this.sweepExhaustedLeases(), Math.min(SWEEP_INTERVAL_MS, this.leaseMs));
    this.sweepTimer.unref();
  }

  private sweepExhaustedLeases(): void {
    this.queue.buryExhaustedLeases().then(
      (buried) => buried && this.logger.error({ buried }, 'jobs dead-lettered: their worker stopped during their last attempt'),
      (err) => this.logger.warn({ err }, 'sweeping expired leases failed'),
    );
  }

  private purgeFinished(): void {
    for (const [what, purge] of Object.entries(this.purges)) {
      purge(this.keepDoneMs).then(
        (deleted) => deleted && this.logger.info({ deleted }, `${what} purged`),
        (err) => this.logger.warn({ err }, `purging ${what} failed`),
      );
    }
  }

  /** Stops claiming, then waits up to `graceMs` for in-flight jobs. Unfinished jobs keep their lease and run again later. */
  async stop(graceMs = 10_000): Promise<{ unfinished: number }> {
    if (!this.running) return { unfinished: 0 };
    this.running = false;
    clearInterval(this.purgeTimer);
    clearInterval(this.sweepTimer);
    this.queue.events.off('enqueued', this.onEnqueued);
    this.signalStop();
    this.wake?.();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([Promise.all(this.inFlight).then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    return { unfinished: outcome === 'timeout' ? this.inFlight.size : 0 };
  }

  private async run(): Promise<void> {
    const types = Object.keys(this.handlers);
    const batchSizes = Object.fromEntries(Object.entries(this.handlers).flatMap(([type, h]) => (h.batch ? [[type, h.batchSize]] : [])));
    while (this.running) {
      let claimedAny = false;
      await this.feed();
      try {
        const free = this.concurrency - this.inFlight.size;
        const jobs = free > 0 && types.length ? await this.queue.claim({ types, limit: free, batchSizes, workerId: this.workerId, leaseMs: this.leaseMs }) : [];
        claimedAny = jobs.length > 0;
        for (const [type, ofType] of Map.groupBy(jobs, (job) => job.type)) {
          const handler = this.handlers[type];
          if (!handler.batch) for (const job of ofType) this.track(this.runOne(handler, job));
          else for (let i = 0; i < ofType.length; i += handler.batchSize) this.track(this.runBatch(handler, ofType.slice(i, i + handler.batchSize)));
        }
      } catch (error) {
        this.logger.error({ err: error }, 'job claim failed');
      }
      if (!this.running) break;
      if (this.inFlight.size >= this.concurrency) await Promise.race([...this.inFlight, this.stopping]);
      else if (!claimedAny) await this.sleep(this.pollMs);
    }
  }

  private async feed(): Promise<void> {
    for (const [what, feed] of this.feeds) {
      try {
        await feed();
      } catch (error) {
        this.logger.error({ err: error }, `feeding ${what} failed`);
      }
    }
  }

  private track(work: Promise<void>): void {
    const p = work.finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private keepLeases(ids: number[]): () => void {
    const timer = setInterval(() => {
      this.queue.extendLease(ids, this.workerId, this.leaseMs).catch((err) => this.logger.warn({ err }, 'lease extension failed'));
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    return () => clearInterval(timer);
  }

  private async runOne(handler: SingleJobHandler, job: Job): Promise<void> {
    const release = this.keepLeases([job.id]);
    const started = performance.now();
    try {
      await handler.run(job);
      await this.recordSuccess(job, started);
    } catch (error) {
      await this.recordFailure(job, error, started);
    } finally {
      release();
    }
  }

  private async runBatch(handler: BatchJobHandler, jobs: Job[]): Promise<void> {
    const release = this.keepLeases(jobs.map((j) => j.id));
    const started = performance.now();
    try {
      let failures: Map<number, unknown> | void;
      try {
        failures = await handler.run(jobs);
      } catch (error) {
        failures = new Map(jobs.map((j) => [j.id, error]));
      }
      // Successes in one statement: a batch of hundreds would otherwise hold the database for as many updates.
      await this.recordSuccesses(jobs.filter((job) => failures?.get(job.id) === undefined), started);
      // Jobs that failed with the same error (one request of the batch) are recorded together.
      const byError = Map.groupBy(jobs.filter((job) => failures?.get(job.id) !== undefined), (job) => failures!.get(job.id));
      for (const [error, failed] of byError) await this.recordFailures(failed, error, started);
    } finally {
      release();
    }
  }

  /**
   * A job finished after its lease expired may have been claimed by another worker meanwhile, which will
   * run it again: it is not counted as done here, and the log says so (handlers are written to be re-run).
   */
  private async recordSuccess(job: Job, started: number): Promise<void> {
    this.observeSuccess(job, await this.queue.complete(job, this.workerId), started);
  }

  private async recordSuccesses(jobs: Job[], started: number): Promise<void> {
    if (jobs.length === 0) return;
    const done = await this.queue.completeMany(jobs, this.workerId);
    for (const job of jobs) this.observeSuccess(job, done.has(job.id), started);
  }

  private observeSuccess(job: Job, recorded: boolean, started: number): void {
    const seconds = (performance.now() - started) / 1000;
    if (recorded) {
      this.metrics?.jobDuration.observe({ type: job.type, outcome: 'done' }, seconds);
      return;
    }
    this.metrics?.jobDuration.observe({ type: job.type, outcome: 'lease_lost' }, seconds);
    this.logger.warn({ jobId: job.id, type: job.type, attempt: job.attempts, seconds }, 'job finished after its lease was lost: not recorded as done; it may run again');
  }

  private async recordFailure(job: Job, error: unknown, started: number): Promise<void> {
    await this.recordFailures([job], error, started);
  }

  private async recordFailures(jobs: Job[], error: unknown, started: number): Promise<void> {
    try {
      const states = await this.queue.failMany(jobs, this.workerId, error);
      const seconds = (performance.now() - started) / 1000;
      for (const job of jobs) this.metrics?.jobDuration.observe({ type: job.type, outcome: states.get(job.id) === 'dead' ? 'dead' : 'retry' }, seconds);
      for (const [state, ofState] of Map.groupBy(jobs, (job) => states.get(job.id))) {
        const log = { err: error, jobId: ofState[0].id, jobs: ofState.length, type: ofState[0].type, attempt: ofState[0].attempts, state };
        if (state === 'dead') this.logger.error(log, 'job dead-lettered');
        else this.logger.warn(log, 'job failed; will retry');
      }
    } catch (recordError) {
      this.logger.error({ err: recordError, jobIds: jobs.map((j) => j.id) }, 'could not record job failure; its lease will expire and it will run again');
    }
  }
}
