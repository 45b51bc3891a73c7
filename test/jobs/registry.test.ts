// The typed job registry: a definition's schema checks payloads when they are enqueued and again before
// the handler runs, so a handler only ever sees a payload of its own shape.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppContext } from '../../backend/src/context.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { defineJob, jobOf } from '../../backend/src/jobs/define-job.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
import { jobHandlers } from '../../backend/src/jobs/registry.ts';
import { Worker } from '../../backend/src/jobs/worker.ts';
import { createLogger } from '../../backend/src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const logger = createLogger({ level: 'silent' });

describe('job registry', () => {
  let testDb: TestDatabase;
  let db: Knex;
  let queue: JobQueue;
  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = openDatabase(testDb.url);
    await migrateToLatest(db);
    queue = new JobQueue(db);
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  const greetings: string[] = [];
  const greet = defineJob({
    type: 'test.greet',
    payload: z.object({ name: z.string().min(1) }),
    async run(_ctx, job) {
      greetings.push(job.payload.name.toUpperCase());
    },
  });
  const sums: number[] = [];
  const sum = defineJob({
    type: 'test.sum',
    payload: z.object({ n: z.number().int() }),
    batchSize: 10,
    async runBatch(_ctx, jobs) {
      sums.push(jobs.reduce((total, job) => total + job.payload.n, 0));
    },
  });

  it('refuses to enqueue a payload its definition does not accept, and carries portal and account in columns', async () => {
    expect(() => jobOf(greet, { name: '' })).toThrow();
    const job = jobOf(greet, { name: 'ok' }, { portalId: 7, lineAccountId: 3 });
    expect(job).toMatchObject({ type: 'test.greet', payload: { name: 'ok' }, portalId: 7, lineAccountId: 3 });
  });

  it('a payload that does not parse dead-letters its job at once; valid ones of the same batch still run', async () => {
    const [badGreet] = await queue.enqueueMany([{ type: greet.type, payload: { name: 42 } }]);
    const [goodGreet] = await queue.enqueueMany([jobOf(greet, { name: 'ann' })]);
    const [badSum, ...goodSums] = await queue.enqueueMany([{ type: sum.type, payload: { n: 'x' } }, jobOf(sum, { n: 2 }), jobOf(sum, { n: 5 })]);
    const worker = new Worker({ queue, logger, pollMs: 10, handlers: jobHandlers({} as AppContext, [greet, sum]) });
    worker.start();
    try {
      for (let i = 0; i < 500 && (await db('jobs').whereIn('state', ['queued', 'running']).count({ n: '*' }).first())?.n != 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await worker.stop();
    }
    expect(await queue.get(badGreet)).toMatchObject({ state: 'dead', attempts: 1, lastError: expect.stringContaining('invalid test.greet payload') });
    expect(await queue.get(badSum)).toMatchObject({ state: 'dead', lastError: expect.stringContaining('invalid test.sum payload') });
    expect((await queue.get(goodGreet))?.state).toBe('done');
    for (const id of goodSums) expect((await queue.get(id))?.state).toBe('done');
    expect(greetings).toEqual(['ANN']);
    expect(sums).toEqual([7]);
  });

  it('a job type defined twice is a start-up error', () => {
    expect(() => jobHandlers({} as AppContext, [greet, greet])).toThrow(/defined twice/);
  });
});
