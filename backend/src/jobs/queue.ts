// Durable job queue stored in the database (SQLite or PostgreSQL). Claiming is one UPDATE … RETURNING,
// with FOR UPDATE SKIP LOCKED on PostgreSQL, so several worker processes never claim the same job.
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import { dialectOf } from '../db/database.ts';
import { DEFAULT_TIMINGS } from '../timings.ts';
import type { JobOptions } from './define-job.ts';
import { backoffDelayMs, errorText, PermanentJobError, RetryJobError } from './job-errors.ts';

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface Job<P = unknown> {
  id: number;
  type: string;
  payload: P;
  partitionKey: string | null;
  dedupeKey: string | null;
  portalId: number | null;
  lineAccountId: number | null;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lastError: string | null;
}

/** A job to enqueue: made by jobOf() from a job definition (define-job.ts), so its payload is typed and checked. */
export interface NewJob extends JobOptions {
  type: string;
  payload: unknown;
}

export interface JobRow {
  id: number;
  type: string;
  payload: string;
  partition_key: string | null;
  dedupe_key: string | null;
  portal_id: number | null;
  line_account_id: number | null;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export const DEFAULT_MAX_ATTEMPTS = 12;

/** Rows per INSERT: SQLite's bound-parameter limit. */
const INSERT_CHUNK = 200;

/** A job row as enqueued. */
type NewJobRow = Pick<JobRow, 'type' | 'payload' | 'partition_key' | 'dedupe_key' | 'portal_id' | 'line_account_id' | 'state' | 'attempts' | 'max_attempts' | 'run_at' | 'created_at' | 'updated_at'>;

export interface DeadJobsOfType {
  type: string;
  count: number;
  lastError: string | null;
  lastFailedAt: number | null;
}

export interface JobFilter {
  ids?: number[];
  type?: string;
  portalId?: number;
  lineAccountId?: number;
}

function filtered<Q extends Knex.QueryBuilder>(q: Q, filter: JobFilter): Q {
  if (filter.ids) q.whereIn('id', filter.ids);
  if (filter.type) q.andWhere('type', filter.type);
  if (filter.portalId !== undefined) q.andWhere('portal_id', filter.portalId);
  if (filter.lineAccountId !== undefined) q.andWhere('line_account_id', filter.lineAccountId);
  return q;
}

function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    type: row.type,
    payload: JSON.parse(row.payload),
    partitionKey: row.partition_key,
    dedupeKey: row.dedupe_key,
    portalId: row.portal_id === null ? null : Number(row.portal_id),
    lineAccountId: row.line_account_id === null ? null : Number(row.line_account_id),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    lastError: row.last_error,
  };
}

export class JobQueue {
  readonly db: Knex;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly backoffBaseMs: number;
  /** Emits 'enqueued' so a worker in this process wakes at once instead of at its next poll. */
  readonly events = new EventEmitter();

  constructor(db: Knex, options: { clock?: () => number; random?: () => number; backoffBaseMs?: number } = {}) {
    this.db = db;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoffBaseMs = options.backoffBaseMs ?? DEFAULT_TIMINGS.jobs.backoffBaseMs;
  }

  /** Enqueues jobs (inside `trx` when given); returns the ids of the jobs created (duplicates by dedupe key are skipped). */
  async enqueueMany(jobs: NewJob[], trx?: Knex.Transaction): Promise<number[]> {
    if (jobs.length === 0) return [];
    const now = this.clock();
    const rows = this.rowsOf(jobs, now);
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const inserted = await (trx ?? this.db)('jobs')
        .insert(rows.slice(i, i + INSERT_CHUNK))
        .onConflict('dedupe_key')
        .ignore()
        .returning('id');
      for (const r of inserted as Array<{ id: number } | number>) ids.push(Number(typeof r === 'object' ? r.id : r));
    }
    // Only jobs due now are worth waking a worker for: one woken for a delayed job claims nothing.
    if (!rows.some((r) => r.run_at <= now)) return ids;
    if (trx) trx.executionPromise.then(this.wakeWorkers, () => {});
    else this.wakeWorkers();
    return ids;
  }

  /** Wakes a worker of this process at once instead of at its next poll. */
  readonly wakeWorkers = (): void => {
    this.events.emit('enqueued');
  };

  private rowsOf(jobs: NewJob[], now: number): NewJobRow[] {
    return jobs.map((j) => ({
      type: j.type,
      payload: JSON.stringify(j.payload ?? null),
      partition_key: j.partitionKey ?? null,
      dedupe_key: j.dedupeKey ?? null,
      portal_id: j.portalId ?? null,
      line_account_id: j.lineAccountId ?? null,
      state: 'queued',
      attempts: 0,
      max_attempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: j.runAt ?? now + (j.delayMs ?? 0),
      created_at: now,
      updated_at: now,
    }));
  }

  async enqueue(job: NewJob, trx?: Knex.Transaction): Promise<number | null> {
    const [id] = await this.enqueueMany([job], trx);
    return id ?? null;
  }

  /**
   * Claims due jobs of the given types for `workerId`, leasing them for `leaseMs`, in one statement.
   * `limit` counts slots: a job of a type in `batchSizes` shares its slot with up to that many jobs of its
   * type (one batch); any other job takes a slot of its own. Jobs are taken in due order (run_at, id).
   * Only the head of each partition is claimable, so one partition's jobs run one at a time, in order.
   * A running job whose lease expired (its worker crashed) is claimable again.
   */
  async claim(options: { types: string[]; limit: number; workerId: string; leaseMs: number; batchSizes?: Record<string, number> }): Promise<Job[]> {
    if (options.types.length === 0 || options.limit <= 0) return [];
    const now = this.clock();
    const db = this.db;
    const batchSizes = Object.entries(options.batchSizes ?? {}).filter(([type, size]) => options.types.includes(type) && size > 1);
    const candidates = db('jobs as j')
      .select('j.id', 'j.type', 'j.run_at')
      .whereIn('j.type', options.types)
      .where((w) =>
        w
          .where((q) => q.where('j.state', 'queued').andWhere('j.run_at', '<=', now))
          .orWhere((q) => q.where('j.state', 'running').andWhere('j.locked_until', '<', now).andWhereRaw('j.attempts < j.max_attempts')),
      )
      .where((w) =>
        w.whereNull('j.portal_id').orWhereNotExists(
          db('job_pauses as p').select(db.raw('1')).whereRaw('p.portal_id = j.portal_id').andWhere('p.paused_until', '>', now),
        ),
      )
      .where((w) =>
        w.whereNull('j.partition_key').orWhereNotExists(
          db('jobs as e')
            .select(db.raw('1'))
            .whereRaw('e.partition_key = j.partition_key')
            .andWhereRaw('e.id < j.id')
            .whereIn('e.state', ['queued', 'running']),
        ),
      )
      .orderBy([{ column: 'j.run_at' }, { column: 'j.id' }])
      // Enough rows to fill every slot, whatever mix of types is due.
      .limit(options.limit + batchSizes.reduce((sum, [, size]) => sum + size * options.limit, 0));
    if (dialectOf(db) === 'postgres') candidates.forUpdate().skipLocked();
    // Slots: a batch type's due jobs are cut into batches in due order; every other job is a slot alone.
    // The first `limit` slots, ordered by their first job, are claimed.
    const batchOf = "c.type || ':' || cast((row_number() over (partition by c.type order by c.run_at, c.id) - 1) / ? as integer)";
    const slotKey = batchSizes.length
      ? db.raw(`case ${batchSizes.map(() => `when c.type = ? then ${batchOf}`).join(' ')} else 'job:' || c.id end`, batchSizes.flat())
      : db.raw("'job:' || c.id");
    const positioned = db.select('c.id', db.raw('row_number() over (order by c.run_at, c.id) as pos'), db.raw('? as slot_key', [slotKey])).from(candidates.as('c'));
    const slotted = db.select('k.id', db.raw('min(k.pos) over (partition by k.slot_key) as slot_start')).from(positioned.as('k'));
    const ranked = db.select('s.id', db.raw('dense_rank() over (order by s.slot_start) as slot')).from(slotted.as('s'));
    const chosen = db.select('r.id').from(ranked.as('r')).where('r.slot', '<=', options.limit);
    const rows = (await db('jobs')
      .whereIn('id', chosen)
      // Checked again on the row itself: on PostgreSQL another worker may have claimed it meanwhile.
      .where((w) => w.where('state', 'queued').orWhere((q) => q.where('state', 'running').andWhere('locked_until', '<', now)))
      .update({
        state: 'running',
        locked_by: options.workerId,
        locked_until: now + options.leaseMs,
        attempts: db.raw('attempts + 1'),
        updated_at: now,
      })
      .returning('*')) as JobRow[];
    return rows.map(toJob).sort((a, b) => a.id - b.id);
  }

  /**
   * Jobs whose worker died on their last allowed attempt are dead-lettered (claim skips them). Workers
   * call this on a timer; returns how many were buried.
   */
  async buryExhaustedLeases(): Promise<number> {
    const now = this.clock();
    return this.db('jobs')
      .where('state', 'running')
      .andWhere('locked_until', '<', now)
      .andWhereRaw('attempts >= max_attempts')
      .update({ state: 'dead', last_error: 'lease expired: the worker stopped during the last attempt', locked_by: null, locked_until: null, updated_at: now, finished_at: now });
  }

  /** Extends the lease of jobs this worker still holds. */
  async extendLease(ids: number[], workerId: string, leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db('jobs').whereIn('id', ids).andWhere({ state: 'running', locked_by: workerId }).update({ locked_until: this.clock() + leaseMs });
  }

  /** Marks a job done; false when this worker no longer held it (its lease expired and another took it). */
  async complete(job: Job, workerId: string): Promise<boolean> {
    const now = this.clock();
    const n = await this.db('jobs')
      .where({ id: job.id, state: 'running', locked_by: workerId })
      .update({ state: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: now, finished_at: now });
    return n === 1;
  }

  /** complete() for many jobs in one statement; answers the ids this worker still held (and marked done). */
  async completeMany(jobs: Job[], workerId: string): Promise<Set<number>> {
    const now = this.clock();
    const done = new Set<number>();
    for (let i = 0; i < jobs.length; i += 500) {
      const rows = (await this.db('jobs')
        .whereIn('id', jobs.slice(i, i + 500).map((j) => j.id))
        .andWhere({ state: 'running', locked_by: workerId })
        .update({ state: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: now, finished_at: now })
        .returning('id')) as Array<{ id: number }>;
      for (const row of rows) done.add(Number(row.id));
    }
    return done;
  }

  /**
   * The jobs of `job`'s type queued behind it in its partition, oldest first (at most `limit`). A job whose
   * run brings state up to date may take their work on with its own and then finish them (finishQueued),
   * so work that piled up while one ran is done in one run instead of one run each.
   */
  async queuedBehind(job: Job, limit: number): Promise<Job[]> {
    if (job.partitionKey === null) return [];
    const rows = (await this.db('jobs')
      .where({ partition_key: job.partitionKey, type: job.type, state: 'queued' })
      .andWhere('id', '>', job.id)
      .orderBy('id')
      .limit(limit)) as JobRow[];
    return rows.map(toJob);
  }

  /** Marks queued jobs done whose work another job did (see queuedBehind); answers how many were still queued. */
  async finishQueued(ids: number[]): Promise<number> {
    const now = this.clock();
    let finished = 0;
    for (let i = 0; i < ids.length; i += 500) {
      finished += await this.db('jobs').whereIn('id', ids.slice(i, i + 500)).andWhere('state', 'queued').update({ state: 'done', last_error: null, updated_at: now, finished_at: now });
    }
    return finished;
  }

  /** Records a failure: retried later with backoff, or dead-lettered after the last attempt. */
  async fail(job: Job, workerId: string, error: unknown): Promise<JobState> {
    return (await this.failMany([job], workerId, error)).get(job.id)!;
  }

  /**
   * fail() for jobs that failed together (one batch, one error): jobs at the same attempt get the same
   * delay, so they are stored in one statement and come back together.
   */
  async failMany(jobs: Job[], workerId: string, error: unknown): Promise<Map<number, JobState>> {
    const now = this.clock();
    const outcomes = new Map<string, { state: JobState; attempts: number; runAt: number; ids: number[] }>();
    const delays = new Map<number, number>();
    for (const job of jobs) {
      let state: JobState = 'queued';
      let attempts = job.attempts;
      let delayMs = 0;
      if (error instanceof PermanentJobError) {
        state = 'dead';
      } else if (error instanceof RetryJobError) {
        if (!error.countAttempt) attempts = Math.max(0, attempts - 1);
        if (!delays.has(attempts)) delays.set(attempts, error.delayMs ?? backoffDelayMs(attempts, this.random, this.backoffBaseMs));
        delayMs = delays.get(attempts)!;
        if (attempts >= job.maxAttempts) state = 'dead';
      } else if (attempts >= job.maxAttempts) {
        state = 'dead';
      } else {
        if (!delays.has(attempts)) delays.set(attempts, backoffDelayMs(attempts, this.random, this.backoffBaseMs));
        delayMs = delays.get(attempts)!;
      }
      const key = `${state}:${attempts}:${delayMs}`;
      const outcome = outcomes.get(key) ?? { state, attempts, runAt: now + delayMs, ids: [] };
      outcome.ids.push(job.id);
      outcomes.set(key, outcome);
    }
    const states = new Map<number, JobState>();
    for (const { state, attempts, runAt, ids } of outcomes.values()) {
      for (let i = 0; i < ids.length; i += 500) {
        await this.db('jobs')
          .whereIn('id', ids.slice(i, i + 500))
          .andWhere({ state: 'running', locked_by: workerId })
          .update({
            state,
            attempts,
            run_at: runAt,
            locked_by: null,
            locked_until: null,
            last_error: errorText(error),
            updated_at: now,
            finished_at: state === 'dead' ? now : null,
          });
      }
      for (const id of ids) states.set(id, state);
    }
    return states;
  }

  /** Puts dead jobs back in the queue with fresh attempts. Returns how many were re-queued. */
  async retryDead(filter: JobFilter = {}): Promise<number> {
    const now = this.clock();
    return filtered(this.db('jobs').where('state', 'dead'), filter).update({ state: 'queued', attempts: 0, run_at: now, last_error: null, finished_at: null, updated_at: now });
  }

  async listDead(filter: JobFilter & { limit?: number } = {}): Promise<Job[]> {
    const q = filtered(this.db<JobRow>('jobs').where('state', 'dead'), filter).orderBy('id', 'desc').limit(filter.limit ?? 100);
    return ((await q) as JobRow[]).map(toJob);
  }

  async countDead(filter: JobFilter): Promise<number> {
    const row = await filtered(this.db('jobs').where('state', 'dead'), filter).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /** The dead jobs matching the filter, per type: how many, and the error and time of the latest of them. */
  async deadByType(filter: JobFilter): Promise<DeadJobsOfType[]> {
    const groups = (await filtered(this.db('jobs').where('state', 'dead'), filter)
      .select('type')
      .count({ n: '*' })
      .max({ latest: 'id' })
      .groupBy('type')) as Array<{ type: string; n: unknown; latest: unknown }>;
    if (groups.length === 0) return [];
    const latest = (await this.db('jobs')
      .whereIn('id', groups.map((g) => Number(g.latest)))
      .select('id', 'last_error', 'finished_at')) as Array<Pick<JobRow, 'id' | 'last_error' | 'finished_at'>>;
    const byId = new Map(latest.map((row) => [Number(row.id), row]));
    return groups.map((g) => {
      const row = byId.get(Number(g.latest));
      return { type: g.type, count: Number(g.n), lastError: row?.last_error ?? null, lastFailedAt: row?.finished_at === null || row?.finished_at === undefined ? null : Number(row.finished_at) };
    });
  }

  async countQueued(filter: JobFilter): Promise<number> {
    const row = await filtered(this.db('jobs').where('state', 'queued'), filter).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /** Deletes the queued and dead jobs matching the filter (running ones finish and find their subject gone). */
  async deleteWaiting(filter: JobFilter, trx?: Knex.Transaction): Promise<number> {
    return filtered((trx ?? this.db)('jobs').whereIn('state', ['queued', 'dead']), filter).delete();
  }

  /** Whether a job of this type waits to be claimed. */
  async hasQueued(type: string): Promise<boolean> {
    return (await this.db('jobs').where({ type, state: 'queued' }).first('id')) !== undefined;
  }

  /**
   * Makes a queued job of this type for the portal due now, if one waits (perhaps out a retry delay);
   * false when none waits, so the caller can enqueue one.
   */
  async bringForwardQueued(type: string, portalId: number, trx?: Knex.Transaction): Promise<boolean> {
    const db = trx ?? this.db;
    const waiting = await db('jobs').where({ type, portal_id: portalId, state: 'queued' }).first('id');
    if (!waiting) return false;
    const now = this.clock();
    await db('jobs').where({ id: waiting.id, state: 'queued' }).andWhere('run_at', '>', now).update({ run_at: now, updated_at: now });
    return true;
  }

  async get(id: number): Promise<(Job & { state: JobState }) | undefined> {
    const row = await this.db<JobRow>('jobs').where('id', id).first();
    return row ? { ...toJob(row), state: row.state } : undefined;
  }

  /** The portal's pause while it lasts: until when, and why (pausePortal's reason). */
  async pauseOf(portalId: number): Promise<{ until: number; reason: string } | null> {
    const row = await this.db('job_pauses').where('portal_id', portalId).andWhere('paused_until', '>', this.clock()).first('paused_until', 'reason');
    return row ? { until: Number(row.paused_until), reason: String(row.reason) } : null;
  }

  /** Stops a portal's jobs from being claimed until `untilMs` (e.g. HubSpot's DAILY limit). */
  async pausePortal(portalId: number, untilMs: number, reason: string): Promise<void> {
    await this.db('job_pauses').insert({ portal_id: portalId, paused_until: untilMs, reason }).onConflict('portal_id').merge();
  }

  async resumePortal(portalId: number): Promise<void> {
    await this.db('job_pauses').where('portal_id', portalId).delete();
  }

  async countsByTypeAndState(): Promise<Array<{ type: string; state: JobState; count: number }>> {
    const rows = (await this.db('jobs').select('type', 'state').count({ count: '*' }).groupBy('type', 'state')) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ type: String(r.type), state: r.state as JobState, count: Number(r.count) }));
  }

  /** Deletes finished jobs older than `olderThanMs` (their dedupe keys become free again). */
  async purgeDone(olderThanMs: number): Promise<number> {
    return this.db('jobs').where('state', 'done').andWhere('finished_at', '<', this.clock() - olderThanMs).delete();
  }
}
