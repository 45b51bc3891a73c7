// Workflow action benchmarks (issue 11). Budgets (DESIGN.md): >= 300 executions/s accepted with answer
// p95 <= 200 ms; <= 3 LINE requests per 1,000 identical (non-personalised) executions.
// The baseline, measured in the same run, is a bare Express handler that verifies the v2 signature and
// answers BLOCK; the backend also stores the execution and queues its send. CPU per request is shown too:
// on a shared machine latencies follow the neighbours' load, CPU time much less.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { signatureHeaders } from '../test/emulators/hubspot/signing.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import startPostgres from '../test/support/postgres-global-setup.ts';
import { startWorkflowWorld } from '../test/support/workflow-world.ts';
import { atRate } from './lib/load.ts';

const RATE = 300;
const DURATION_MS = 3_400;

function baselineServer(secret: string): Promise<{ url: string; close(): void }> {
  const app = express();
  app.use(express.json({ verify: (req, _res, buf) => ((req as unknown as { rawBody: Buffer }).rawBody = buf) }));
  let url = '';
  app.post('/action', (req, res) => {
    const raw = (req as unknown as { rawBody: Buffer }).rawBody.toString('utf8');
    const expected = Buffer.from(createHash('sha256').update(`${secret}POST${url}${raw}`).digest('hex'));
    const given = Buffer.from(req.get('x-hubspot-signature') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.status(401).end();
    res.json({ outputFields: { hs_execution_state: 'BLOCK' } });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/action`;
      resolve({ url, close: () => server.close() });
    });
  });
}

/** CPU time this process spends while `work` runs, in ms (the load generator's share is the same in both phases). */
async function withCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}

async function benchOn(prefix: string, databaseUrl: string | undefined): Promise<Record<string, number>> {
  const world = await startWorkflowWorld({ timings: { sendWindowMs: 2_000 }, databaseUrl });
  const baseline = await baselineServer(world.hubspot.clientSecret);
  try {
    const count = Math.round((RATE * DURATION_MS) / 1000);
    const friends = await world.addFriends(count);
    const execute = (url: string, i: number) => {
      const body = JSON.stringify({
        callbackId: `bench-${url.length}-${i}-${Date.now()}`,
        origin: { portalId: world.portalId, actionDefinitionId: 1, actionDefinitionVersion: 1 },
        context: { workflowId: 1, actionId: 1, source: 'WORKFLOWS' },
        object: { objectId: friends[i % friends.length].contactId, objectType: 'CONTACT' },
        inputFields: { message_1: 'Spring sale: 20% off this week' },
      });
      return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signatureHeaders(world.hubspot.clientSecret, 'POST', url, body, 'v2') }, body }).then(async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      });
    };
    const base = await withCpu(() => atRate({ rate: RATE, durationMs: DURATION_MS, send: (i) => execute(baseline.url, i) }));
    const sendsBefore = world.line.requests.filter((r) => r.path.startsWith('/v2/bot/message/')).length;
    const backend = await withCpu(() => atRate({ rate: RATE, durationMs: DURATION_MS, send: (i) => execute(world.actionUrl, i) }));
    await world.idle(120_000);
    const lineRequests = world.line.requests.filter((r) => r.path.startsWith('/v2/bot/message/')).length - sendsBefore;
    return {
      [`${prefix}.baseline_per_s`]: base.result.perSecond,
      [`${prefix}.baseline_p95_ms`]: base.result.p95,
      [`${prefix}.baseline_cpu_ms_per_request`]: base.cpuMs / base.result.count,
      [`${prefix}.executions_per_s`]: backend.result.perSecond,
      [`${prefix}.throughput_ratio_to_baseline`]: backend.result.perSecond / base.result.perSecond,
      [`${prefix}.answer_p50_ms`]: backend.result.p50,
      [`${prefix}.answer_p95_ms`]: backend.result.p95,
      [`${prefix}.answer_p95_vs_baseline`]: backend.result.p95 / base.result.p95,
      [`${prefix}.cpu_ms_per_execution`]: backend.cpuMs / backend.result.count,
      [`${prefix}.failures`]: backend.result.failures,
      [`${prefix}.line_requests_per_1000`]: (lineRequests / backend.result.count) * 1000,
    };
  } finally {
    baseline.close();
    await world.close();
  }
}

/** SQLite (the default), then PostgreSQL when the machine has one (a throwaway cluster, as the tests use). */
export async function runWorkflowBench(): Promise<Record<string, number>> {
  const results = await benchOn('workflow', undefined);
  const stopPostgres = await startPostgres();
  if (!process.env.DATABASE_URL_PG_TEST) return results;
  const database = await createTestDatabase('postgres');
  try {
    return { ...results, ...(await benchOn('workflow.pg', database.url)) };
  } finally {
    await database.drop();
    stopPostgres?.();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await runWorkflowBench());
}
