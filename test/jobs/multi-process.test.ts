// Worker processes for real: a job survives `kill -9` of its worker, and on PostgreSQL two worker
// processes share 1,000 jobs with every job run exactly once and each partition kept in order.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
import { createTestDatabase, engines, postgresAvailable, type TestDatabase } from '../support/databases.ts';

const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

function startWorker(databaseUrl: string, mode: 'record' | 'hang'): Promise<ChildProcess> {
  const child = fork(script, [databaseUrl, mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function prepare(engine: 'sqlite' | 'postgres'): Promise<{ testDb: TestDatabase; db: Knex; queue: JobQueue }> {
  const testDb = await createTestDatabase(engine);
  const db = openDatabase(testDb.url);
  await migrateToLatest(db);
  await db.schema.createTable('job_runs', (t) => {
    t.increments('id');
    t.bigInteger('job_id').notNullable();
    t.string('worker').notNullable();
    t.string('partition_key').nullable();
    t.integer('seq').notNullable();
  });
  return { testDb, db, queue: new JobQueue(db) };
}

describe.each(engines())('worker processes on %s', (engine) => {
  let env: Awaited<ReturnType<typeof prepare>>;
  beforeAll(async () => {
    env = await prepare(engine);
  });
  afterAll(async () => {
    await env.db.destroy();
    await env.testDb.drop();
  });

  it('runs a job again after its worker is killed with SIGKILL mid-job', async () => {
    const id = (await env.queue.enqueue({ type: 'hang', payload: {} }))!;
    const doomed = await startWorker(env.testDb.url, 'hang');
    await until(async () => (await env.db('job_runs').where({ job_id: id })).length === 1, 15_000);
    const exited = new Promise((r) => doomed.once('exit', r));
    doomed.kill('SIGKILL');
    await exited;
    expect((await env.queue.get(id))?.state).toBe('running');
    // A new worker (recording this time) takes the job over once the dead worker's lease expires.
    await env.db('jobs').where({ id }).update({ type: 'record', payload: JSON.stringify({ seq: 1 }) });
    const rescuer = await startWorker(env.testDb.url, 'record');
    try {
      await until(async () => (await env.queue.get(id))?.state === 'done', 20_000);
    } finally {
      await stopWorker(rescuer);
    }
    const runs = await env.db('job_runs').where({ job_id: id }).orderBy('id');
    expect(runs.map((r) => r.worker.split('-')[0])).toEqual(['hang', 'record']);
    expect((await env.queue.get(id))?.attempts).toBe(2);
  });
});

describe.runIf(postgresAvailable())('two worker processes on postgres', () => {
  let env: Awaited<ReturnType<typeof prepare>>;
  beforeAll(async () => {
    env = await prepare('postgres');
  });
  afterAll(async () => {
    await env.db.destroy();
    await env.testDb.drop();
  });

  it('run 1,000 jobs exactly once between them and keep each partition in order', async () => {
    const jobs = Array.from({ length: 1000 }, (_, i) => ({
      type: 'record',
      payload: { seq: i },
      // Half the jobs belong to 20 ordered partitions; the rest are free to run in any order.
      partitionKey: i % 2 === 0 ? `user-${i % 40}` : undefined,
    }));
    await env.queue.enqueueMany(jobs);
    const workers = await Promise.all([startWorker(env.testDb.url, 'record'), startWorker(env.testDb.url, 'record')]);
    try {
      await until(async () => Number((await env.db('jobs').where({ state: 'done' }).count({ c: '*' }))[0].c) === 1000, 60_000);
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
    const runs = await env.db('job_runs').orderBy('id');
    expect(runs).toHaveLength(1000);
    expect(new Set(runs.map((r) => Number(r.job_id))).size).toBe(1000);
    const byWorker = new Map<string, number>();
    for (const r of runs) byWorker.set(r.worker, (byWorker.get(r.worker) ?? 0) + 1);
    expect(byWorker.size).toBe(2);
    const byPartition = new Map<string, number[]>();
    for (const r of runs) if (r.partition_key) byPartition.set(r.partition_key, [...(byPartition.get(r.partition_key) ?? []), r.seq]);
    expect(byPartition.size).toBe(20);
    for (const seqs of byPartition.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
