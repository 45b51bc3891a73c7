import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
import { PermanentJobError, RetryJobError, backoffDelayMs } from '../../backend/src/jobs/job-errors.ts';
import { createTestDatabase, engines, postgresAvailable, type TestDatabase } from '../support/databases.ts';

if (!postgresAvailable()) console.warn('[queue tests] PostgreSQL not available: running the queue tests on SQLite only');

describe.each(engines())('job queue on %s', (engine) => {
  let testDb: TestDatabase;
  let db: Knex;
  let now = 1_000_000;
  let queue: JobQueue;

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    db = openDatabase(testDb.url);
    await migrateToLatest(db);
    queue = new JobQueue(db, { clock: () => now, random: () => 0.5 });
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  const claimOne = (types: string[], limit = 10) => queue.claim({ types, limit, workerId: 'w1', leaseMs: 1000 });

  it('skips a job whose dedupe key already exists', async () => {
    const first = await queue.enqueue({ type: 'dedupe', payload: { n: 1 }, dedupeKey: 'event-1' });
    const second = await queue.enqueue({ type: 'dedupe', payload: { n: 2 }, dedupeKey: 'event-1' });
    expect(first).toBeTypeOf('number');
    expect(second).toBeNull();
    const jobs = await claimOne(['dedupe']);
    expect(jobs.map((j) => j.payload)).toEqual([{ n: 1 }]);
  });

  it('does not run delayed jobs before their time', async () => {
    await queue.enqueue({ type: 'delayed', payload: {}, delayMs: 5000 });
    expect(await claimOne(['delayed'])).toHaveLength(0);
    now += 5000;
    expect(await claimOne(['delayed'])).toHaveLength(1);
  });

  it('runs a job scheduled for a moment at exactly that moment, however late it was enqueued', async () => {
    const id = (await queue.enqueue({ type: 'at-midnight', payload: {}, runAt: now + 7_000, delayMs: 1 }))!;
    expect((await queue.get(id))?.runAt).toBe(now + 7_000);
    now += 6_999;
    expect(await claimOne(['at-midnight'])).toHaveLength(0);
    now += 1;
    expect(await claimOne(['at-midnight'])).toHaveLength(1);
  });

  it('runs one job per partition at a time, in order, even when the head is retrying', async () => {
    for (let i = 0; i < 3; i++) await queue.enqueue({ type: 'part', payload: { i }, partitionKey: 'user-A' });
    await queue.enqueue({ type: 'part', payload: { i: 'b' }, partitionKey: 'user-B' });
    const first = await claimOne(['part']);
    expect(first.map((j) => j.payload)).toEqual([{ i: 0 }, { i: 'b' }]);
    // While A's head is running, nothing else of A is claimable.
    expect(await claimOne(['part'])).toHaveLength(0);
    // A's head fails and waits for its retry: A's later jobs still wait behind it.
    await queue.fail(first[0], 'w1', new Error('boom'));
    await queue.complete(first[1], 'w1');
    expect(await claimOne(['part'])).toHaveLength(0);
    now += backoffDelayMs(1, () => 0.5);
    const retried = await claimOne(['part']);
    expect(retried.map((j) => [j.payload, j.attempts])).toEqual([[{ i: 0 }, 2]]);
    await queue.complete(retried[0], 'w1');
    expect((await claimOne(['part'])).map((j) => j.payload)).toEqual([{ i: 1 }]);
  });

  it('lets a running job take on the jobs of its type queued behind it in its partition, then finish them', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await queue.enqueue({ type: 'catch-up', payload: { i }, partitionKey: 'group-A' }))!);
    await queue.enqueue({ type: 'other', payload: {}, partitionKey: 'group-A' });
    await queue.enqueue({ type: 'catch-up', payload: { i: 'b' }, partitionKey: 'group-B' });
    const [head] = (await claimOne(['catch-up'], 1));
    expect(head.payload).toEqual({ i: 0 });
    const behind = await queue.queuedBehind(head, 2);
    expect(behind.map((j) => j.payload)).toEqual([{ i: 1 }, { i: 2 }]);
    expect(await queue.finishQueued([...behind.map((j) => j.id), head.id])).toBe(2); // the running head is not touched
    await queue.complete(head, 'w1');
    expect((await claimOne(['catch-up'])).map((j) => j.payload)).toEqual([{ i: 3 }, { i: 'b' }]);
    expect((await queue.get(ids[1]))?.state).toBe('done');
  });

  it('backs off exponentially and dead-letters after the last attempt, keeping the error', async () => {
    const id = (await queue.enqueue({ type: 'flaky', payload: {}, maxAttempts: 3 }))!;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await claimOne(['flaky']);
      expect(job.attempts).toBe(attempt);
      const state = await queue.fail(job, 'w1', new Error(`failure ${attempt}`));
      const row = await queue.get(id);
      delays.push(row!.runAt - now);
      expect(state).toBe(attempt < 3 ? 'queued' : 'dead');
      now = row!.runAt;
    }
    expect(delays.slice(0, 2)).toEqual([backoffDelayMs(1, () => 0.5), backoffDelayMs(2, () => 0.5)]);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    const dead = await queue.get(id);
    expect(dead).toMatchObject({ state: 'dead', lastError: 'Error: failure 3' });
    expect((await queue.listDead()).map((j) => j.id)).toContain(id);
    expect(await claimOne(['flaky'])).toHaveLength(0);
  });

  it('re-runs dead jobs on request with fresh attempts', async () => {
    const id = (await queue.enqueue({ type: 'perm', payload: {} }))!;
    const [job] = await claimOne(['perm']);
    expect(await queue.fail(job, 'w1', new PermanentJobError('contact deleted'))).toBe('dead');
    expect(await queue.retryDead({ ids: [id] })).toBe(1);
    const [again] = await claimOne(['perm']);
    expect(again).toMatchObject({ id, attempts: 1 });
  });

  it('gives the attempt back when a handler asks to wait (rate limit)', async () => {
    const id = (await queue.enqueue({ type: 'wait', payload: {}, maxAttempts: 1 }))!;
    const [job] = await claimOne(['wait']);
    expect(await queue.fail(job, 'w1', new RetryJobError('429', { delayMs: 2000, countAttempt: false }))).toBe('queued');
    expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 0, runAt: now + 2000 });
  });

  it('records jobs that failed together, and done ones, in one go: they come back due together', async () => {
    let spread = 0;
    const varied = new JobQueue(db, { clock: () => now, random: () => (spread += 0.3) % 1 });
    for (let i = 0; i < 4; i++) await varied.enqueue({ type: 'together', payload: { i } });
    const claimed = await varied.claim({ types: ['together'], limit: 1, batchSizes: { together: 4 }, workerId: 'w1', leaseMs: 1000 });
    expect(claimed).toHaveLength(4);
    expect([...(await varied.completeMany(claimed.slice(0, 1), 'w1'))]).toEqual([claimed[0].id]);
    const states = await varied.failMany(claimed.slice(1), 'w1', new Error('LINE answered 503'));
    expect([...states.values()]).toEqual(['queued', 'queued', 'queued']);
    const rows = await Promise.all(claimed.map((j) => varied.get(j.id)));
    expect(rows[0]).toMatchObject({ state: 'done' });
    expect(new Set(rows.slice(1).map((r) => r!.runAt)).size).toBe(1);
    expect(await varied.completeMany(claimed.slice(1), 'w1')).toEqual(new Set());
  });

  it('retries a failure that names no delay after the backoff of the queue\'s configured base', async () => {
    const quick = new JobQueue(db, { clock: () => now, random: () => 0.5, backoffBaseMs: 40 });
    const id = (await quick.enqueue({ type: 'quick-backoff', payload: {} }))!;
    const claim = () => quick.claim({ types: ['quick-backoff'], limit: 1, workerId: 'w1', leaseMs: 1000 });
    const [first] = await claim();
    await quick.fail(first, 'w1', new RetryJobError('HubSpot answered 503'));
    expect(await quick.get(id)).toMatchObject({ state: 'queued', attempts: 1, runAt: now + backoffDelayMs(1, () => 0.5, 40) });
    now += backoffDelayMs(1, () => 0.5, 40);
    const [second] = await claim();
    await quick.fail(second, 'w1', new Error('boom'));
    expect(await quick.get(id)).toMatchObject({ attempts: 2, runAt: now + backoffDelayMs(2, () => 0.5, 40) });
    expect(backoffDelayMs(2, () => 0.5, 40)).toBe(60);
  });

  it('re-claims a job whose lease expired, and refuses completion from the worker that lost it', async () => {
    const id = (await queue.enqueue({ type: 'lease', payload: {} }))!;
    const [job] = await queue.claim({ types: ['lease'], limit: 1, workerId: 'crashed', leaseMs: 1000 });
    expect(await queue.claim({ types: ['lease'], limit: 1, workerId: 'w2', leaseMs: 1000 })).toHaveLength(0);
    now += 1001;
    const [taken] = await queue.claim({ types: ['lease'], limit: 1, workerId: 'w2', leaseMs: 1000 });
    expect(taken).toMatchObject({ id, attempts: 2 });
    expect(await queue.complete(job, 'crashed')).toBe(false);
    expect(await queue.complete(taken, 'w2')).toBe(true);
  });

  it('pauses and resumes a portal', async () => {
    await queue.enqueue({ type: 'portal', payload: {}, portalId: 42 });
    await queue.enqueue({ type: 'portal', payload: {}, portalId: 43 });
    await queue.pausePortal(42, now + 60_000, 'DAILY limit');
    expect((await claimOne(['portal'])).map((j) => j.portalId)).toEqual([43]);
    await queue.resumePortal(42);
    expect((await claimOne(['portal'])).map((j) => j.portalId)).toEqual([42]);
  });

  it('claims many jobs of one type in one batch, at most one per partition', async () => {
    const jobs = Array.from({ length: 30 }, (_, i) => ({ type: 'batch', payload: { i }, partitionKey: `u${i % 10}` }));
    await queue.enqueueMany(jobs);
    const claimed = await claimOne(['batch'], 100);
    expect(claimed).toHaveLength(10);
    expect(new Set(claimed.map((j) => j.partitionKey)).size).toBe(10);
  });

  it('enqueues inside a transaction that rolls back: nothing is left', async () => {
    await expect(
      db.transaction(async (trx) => {
        await queue.enqueue({ type: 'tx', payload: {} }, trx);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await claimOne(['tx'])).toHaveLength(0);
  });

  it('claims every type in one statement; a batch type fills one slot with up to its batch size, in due order', async () => {
    now += 60_000;
    for (let i = 0; i < 3; i++) await queue.enqueue({ type: 'mix-single', payload: { i } });
    for (let i = 0; i < 7; i++) await queue.enqueue({ type: 'mix-batch', payload: { i } });
    const statements: string[] = [];
    const count = (q: { sql: string }) => statements.push(q.sql);
    db.on('query', count);
    const claimed = await queue.claim({ types: ['mix-single', 'mix-batch'], limit: 4, batchSizes: { 'mix-batch': 5 }, workerId: 'w1', leaseMs: 1000 });
    db.off('query', count);
    expect(statements).toHaveLength(1);
    // Slots in due order: single 0, single 1, single 2, then one batch of five.
    expect(claimed.map((j) => [j.type, (j.payload as { i: number }).i])).toEqual([
      ['mix-single', 0], ['mix-single', 1], ['mix-single', 2],
      ['mix-batch', 0], ['mix-batch', 1], ['mix-batch', 2], ['mix-batch', 3], ['mix-batch', 4],
    ]);
    const rest = await claimOne(['mix-single', 'mix-batch']);
    expect(rest.map((j) => (j.payload as { i: number }).i)).toEqual([5, 6]);
  });
});

describe('job backoff', () => {
  it('starts at 1 s in production and doubles per attempt, randomised to 50-100 %, capped at an hour', () => {
    expect([1, 2, 4].map((attempt) => backoffDelayMs(attempt, () => 0))).toEqual([500, 1000, 4000]);
    expect([1, 2, 4].map((attempt) => backoffDelayMs(attempt, () => 1))).toEqual([1000, 2000, 8000]);
    expect(backoffDelayMs(30, () => 1)).toBe(3_600_000);
    expect(backoffDelayMs(3, () => 1, 10)).toBe(40);
  });
});
