import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
import { Worker } from '../../backend/src/jobs/worker.ts';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger } from '../../backend/src/observability/logger.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';

const logger = createLogger({ level: 'silent' });

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(engines())('worker on %s', (engine) => {
  let testDb: TestDatabase;
  let db: Knex;
  let queue: JobQueue;

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    db = openDatabase(testDb.url);
    await migrateToLatest(db);
    queue = new JobQueue(db);
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  it('runs single and batch handlers, retries failures and records successes', async () => {
    const seen: string[] = [];
    const batches: number[] = [];
    let failuresLeft = 1;
    const worker = new Worker({
      queue,
      logger,
      pollMs: 10,
      handlers: {
        single: {
          async run(job) {
            if (failuresLeft-- > 0) throw new Error('transient');
            seen.push(String((job.payload as { name: string }).name));
          },
        },
        many: {
          batch: true,
          batchSize: 50,
          async run(jobs) {
            batches.push(jobs.length);
            return new Map(jobs.filter((j) => (j.payload as { n: number }).n === 3).map((j) => [j.id, new Error('bad one')]));
          },
        },
      },
    });
    const single = (await queue.enqueue({ type: 'single', payload: { name: 'a' } }))!;
    await queue.enqueueMany(Array.from({ length: 20 }, (_, n) => ({ type: 'many', payload: { n } })));
    // The failed job's first retry comes after ~1 s of backoff.
    worker.start();
    await until(async () => (await queue.get(single))?.state === 'done');
    await until(async () => Number((await db('jobs').where({ type: 'many', state: 'done' }).count({ c: '*' }))[0].c) === 19);
    await worker.stop(1000);
    expect(seen).toEqual(['a']);
    expect(batches[0]).toBe(20);
    const failed = await db('jobs').where({ type: 'many' }).whereNot('state', 'done');
    expect(failed).toHaveLength(1);
    expect(failed[0].last_error).toBe('Error: bad one');
  });

  it('runs its feeds before each claim, claims what they enqueued, and keeps going when one fails', async () => {
    const ran: string[] = [];
    let waiting = ['x', 'y'];
    let failures = 0;
    const worker = new Worker({
      queue,
      logger,
      pollMs: 10,
      handlers: {
        fed: {
          async run(job) {
            ran.push(String((job.payload as { name: string }).name));
          },
        },
      },
      feeds: {
        broken: async () => {
          failures++;
          throw new Error('feed down');
        },
        'waiting names': async () => {
          const names = waiting;
          waiting = [];
          await queue.enqueueMany(names.map((name) => ({ type: 'fed', payload: { name } })));
          return names.length;
        },
      },
    });
    worker.start();
    await until(async () => ran.length === 2);
    waiting = ['z'];
    queue.wakeWorkers();
    await until(async () => ran.length === 3);
    await worker.stop(1000);
    expect(ran).toEqual(['x', 'y', 'z']);
    expect(failures).toBeGreaterThan(1);
  });

  it('purges finished jobs once they are older than keepDoneMs, freeing their dedupe keys', async () => {
    const [old, recent] = await queue.enqueueMany([
      { type: 'purge', payload: {}, dedupeKey: 'purge-old' },
      { type: 'purge', payload: {}, dedupeKey: 'purge-recent' },
    ]);
    await db('jobs').where({ id: old }).update({ state: 'done', finished_at: Date.now() - 60_000 });
    await db('jobs').where({ id: recent }).update({ state: 'done', finished_at: Date.now() });
    const worker = new Worker({ queue, logger, pollMs: 10, handlers: {}, keepDoneMs: 30_000 });
    worker.start();
    await until(async () => (await queue.get(old)) === undefined);
    await worker.stop(1000);
    expect((await queue.get(recent))?.state).toBe('done');
    expect(await queue.enqueue({ type: 'purge', payload: {}, dedupeKey: 'purge-old' })).toBeTypeOf('number');
    expect(await queue.enqueue({ type: 'purge', payload: {}, dedupeKey: 'purge-recent' })).toBeNull();
  });

  it('stops claiming on stop() and lets in-flight work finish within the grace period', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const worker = new Worker({
      queue,
      logger,
      pollMs: 10,
      concurrency: 1,
      handlers: {
        slow: {
          async run() {
            started++;
            await gate;
          },
        },
      },
    });
    const ids = await queue.enqueueMany([{ type: 'slow', payload: {} }, { type: 'slow', payload: {} }]);
    worker.start();
    await until(async () => started === 1);
    const stopping = worker.stop(5000);
    setTimeout(release, 50);
    expect(await stopping).toEqual({ unfinished: 0 });
    expect((await queue.get(ids[0]))?.state).toBe('done');
    expect((await queue.get(ids[1]))?.state).toBe('queued');
    expect(started).toBe(1);
  });

  it('stop() honours its grace period even when every slot is busy with a job that never ends', async () => {
    const worker = new Worker({ queue, logger, pollMs: 10, concurrency: 1, handlers: { forever: { run: () => new Promise<void>(() => {}) } } });
    const [id] = await queue.enqueueMany([{ type: 'forever', payload: {} }]);
    worker.start();
    await until(async () => (await queue.get(id))?.state === 'running');
    const outcome = await Promise.race([worker.stop(100), new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000))]);
    expect(outcome).toEqual({ unfinished: 1 });
    // It keeps its lease, so it runs again elsewhere once the lease expires.
    expect((await queue.get(id))?.state).toBe('running');
  });

  it('a job that finishes after losing its lease is logged and not recorded as done', async () => {
    const lines: Array<{ msg: string; jobId?: number }> = [];
    const capture = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } }));
    const worker = new Worker({
      queue,
      logger: capture,
      pollMs: 10,
      handlers: {
        stolen: {
          async run(job) {
            // Another worker took the job over (our lease expired while we were stuck).
            await db('jobs').where({ id: job.id }).update({ locked_by: 'another-worker' });
          },
        },
      },
    });
    const [id] = await queue.enqueueMany([{ type: 'stolen', payload: {} }]);
    worker.start();
    await until(async () => lines.some((l) => l.jobId === id));
    await worker.stop(1000);
    expect(lines.find((l) => l.jobId === id)?.msg).toMatch(/lease was lost/);
    expect(await queue.get(id)).toMatchObject({ state: 'running' });
    expect((await db('jobs').where({ id }).first()).locked_by).toBe('another-worker');
  });

  it('dead-letters, on its timer, a job whose worker died during its last attempt, without any claim', async () => {
    const [id] = await queue.enqueueMany([{ type: 'orphan', payload: {}, maxAttempts: 1 }]);
    const [claimed] = await queue.claim({ types: ['orphan'], limit: 1, workerId: 'crashed', leaseMs: 1 });
    expect(claimed.id).toBe(id);
    await new Promise((r) => setTimeout(r, 5));
    const worker = new Worker({ queue, logger, pollMs: 10, handlers: {} });
    worker.start();
    await until(async () => (await queue.get(id))?.state === 'dead');
    await worker.stop(1000);
    expect((await queue.get(id))?.lastError).toMatch(/lease expired/);
  });
});
