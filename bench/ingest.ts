// Webhook ingest: how many LINE events per second the backend accepts, and its acknowledgement latency
// at 500 requests/s, against the baseline (a bare Express handler that only verifies the signature).
// Budgets (DESIGN.md): >= 1,000 events/s accepted; ack p99 <= 25 ms at 500 requests/s; RSS <= 250 MB.
// The generator runs on CPU 0 and the servers on the others (lib/cpu-pinning.ts); each server reports
// its own event-loop delay during the 500 requests/s phase.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../backend/src/db/database.ts';
import { migrateToLatest } from '../backend/src/db/migrate.ts';
import { SecretBox } from '../backend/src/crypto/secret-box.ts';
import { insertAccount } from '../backend/src/accounts/repository.ts';
import { recordInstall } from '../backend/src/hubspot/portals.ts';
import { freePort } from '../test/support/backend.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { newMessageId, newQuoteToken, newReplyToken, newWebhookEventId } from '../test/emulators/line/ids.ts';
import startPostgres from '../test/support/postgres-global-setup.ts';
import { pinLoadGenerator } from './lib/cpu-pinning.ts';
import { buildForScript, type NodeCommand } from '../test/support/npm-start.ts';
import { asFastAs, atRate, type LoadResult } from './lib/load.ts';
import { startServerProcess, type LoopDelay, type ServerProcess } from './lib/process.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** A text message event with identifiers in LINE's formats: webhookEventId is a ULID, whose time prefix orders it. */
function textEvent(userId: string, n: number): object {
  const timestamp = Date.now();
  return {
    type: 'message',
    mode: 'active',
    timestamp,
    source: { type: 'user', userId },
    webhookEventId: newWebhookEventId(timestamp),
    deliveryContext: { isRedelivery: false },
    replyToken: newReplyToken(),
    message: { id: newMessageId(), type: 'text', text: `benchmark message ${n}`, quoteToken: newQuoteToken() },
  };
}

async function seedAccount(databaseUrl: string, key: Buffer, channelSecret: string, webhookKey: string): Promise<void> {
  const db = openDatabase(databaseUrl);
  await migrateToLatest(db);
  const box = new SecretBox(key);
  const now = Date.now();
  await db.transaction((trx) =>
    recordInstall(trx, box, { portalId: 9001, hubDomain: null, accessToken: 'x', refreshToken: 'x', expiresAt: now + 3_600_000, scopes: [], userId: null }, now),
  );
  await insertAccount({ db, secrets: box }, {
    portalId: 9001,
    channelId: '1600000001',
    channelSecret,
    channelAccessToken: 'bench-token',
    botUserId: `U${randomBytes(16).toString('hex')}`,
    basicId: null,
    displayName: 'Bench account',
    pictureUrl: null,
    webhookKey,
    loginKey: randomBytes(16).toString('hex'),
  });
  await db.destroy();
}

function poster(url: string, secret: string, eventsPerBody: number) {
  let n = 0;
  return async () => {
    const events = Array.from({ length: eventsPerBody }, () => textEvent(`U${(n % 200).toString(16).padStart(32, '0')}`, n++));
    const body = JSON.stringify({ destination: 'Ubench', events });
    const signature = createHmac('sha256', secret).update(body).digest('base64');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body });
    await res.arrayBuffer();
    return res.status === 200;
  };
}

interface Measured {
  capacity: LoadResult;
  batched: LoadResult;
  atFiveHundred: LoadResult;
  loopDelayAtFiveHundred: LoopDelay;
}

async function measure(server: ServerProcess, webhookKey: string, secret: string): Promise<Measured> {
  const url = `${server.url}/line/webhook/${webhookKey}`;
  // Warm up; capacity with one event per delivery (64 deliveries in flight, as LINE sends them in
  // parallel) and with 20 events per delivery (how LINE groups events under load); latency at 500/s.
  await asFastAs({ count: 300, concurrency: 8, send: poster(url, secret, 1) });
  const capacity = await asFastAs({ count: 4000, concurrency: 64, send: poster(url, secret, 1) });
  const batched = await asFastAs({ count: 300, concurrency: 16, send: poster(url, secret, 20) });
  await server.loopDelay();
  const atFiveHundred = await atRate({ rate: 500, durationMs: 6000, send: poster(url, secret, 1) });
  return { capacity, batched, atFiveHundred, loopDelayAtFiveHundred: await server.loopDelay() };
}

/** A server's resident memory once it has been idle for a moment. */
async function idleRssMb(server: ServerProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 1000));
  return server.rssMb();
}

interface Seeded {
  secret: string;
  webhookKey: string;
  key: Buffer;
  dir: string;
}

/** The backend, built and started as `npm run start:web` does, on `databaseUrl`, pinned like the baseline, measured the same way. */
async function measureBackend(seeded: Seeded, command: NodeCommand, databaseUrl: string, cpus: string | undefined): Promise<{ measured: Measured; rss: Rss }> {
  const { secret, webhookKey, key, dir } = seeded;
  await seedAccount(databaseUrl, key, secret, webhookKey);
  const port = await freePort();
  const backend = await startServerProcess({
    ...command,
    env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, ENCRYPTION_KEY: key.toString('base64'), LOG_LEVEL: 'warn', DATA_DIR: dir },
    healthUrl: `http://127.0.0.1:${port}/healthz`,
    url: `http://127.0.0.1:${port}`,
    cpus,
  });
  const beforeLoad = await idleRssMb(backend);
  const measured = await measure(backend, webhookKey, secret);
  const afterLoad = await idleRssMb(backend);
  const peak = backend.peakRssMb();
  await backend.stop();
  return { measured, rss: { peak, beforeLoad, afterLoad } };
}

/** The backend on SQLite (judged), then on PostgreSQL when the machine has one (reported as ingest.pg.*). */
export async function runIngestBench(): Promise<Record<string, number>> {
  const seeded: Seeded = {
    secret: randomBytes(16).toString('hex'),
    webhookKey: randomBytes(24).toString('base64url'),
    key: randomBytes(32),
    dir: mkdtempSync(join(tmpdir(), 'lfh-bench-')),
  };
  const stopPostgres = await startPostgres();
  const postgres = process.env.DATABASE_URL_PG_TEST ? await createTestDatabase('postgres') : undefined;
  const pinning = pinLoadGenerator();
  try {
    const basePort = await freePort();
    const baseline = await startServerProcess({
      script: here('./baseline-server.ts'),
      args: [String(basePort), seeded.secret],
      env: {},
      healthUrl: `http://127.0.0.1:${basePort}/healthz`,
      url: `http://127.0.0.1:${basePort}`,
      cpus: pinning.serverCpus,
    });
    const base = await measure(baseline, seeded.webhookKey, seeded.secret);
    await baseline.stop();
    const pinned = pinning.serverCpus !== undefined;
    const command = buildForScript('start:web');
    const sqlite = await measureBackend(seeded, command, `sqlite://${join(seeded.dir, 'bench.sqlite')}`, pinning.serverCpus);
    const results = figures('ingest', base, sqlite.measured, sqlite.rss, pinned);
    if (!postgres) return results;
    const pg = await measureBackend(seeded, command, postgres.url, pinning.serverCpus);
    return { ...results, ...figures('ingest.pg', base, pg.measured, pg.rss, pinned) };
  } finally {
    pinning.restore();
    await postgres?.drop();
    stopPostgres?.();
  }
}

interface Rss {
  peak: number;
  beforeLoad: number;
  afterLoad: number;
}

function figures(prefix: string, base: Measured, real: Measured, rss: Rss, pinned: boolean): Record<string, number> {
  const figures: Record<string, number> = {
    'events_per_s': Math.round(real.capacity.perSecond),
    'baseline_events_per_s': Math.round(base.capacity.perSecond),
    'throughput_ratio_to_baseline': real.capacity.perSecond / base.capacity.perSecond,
    'events_per_s_20_per_delivery': Math.round(real.batched.perSecond * 20),
    'baseline_events_per_s_20_per_delivery': Math.round(base.batched.perSecond * 20),
    'throughput_ratio_to_baseline_20_per_delivery': real.batched.perSecond / base.batched.perSecond,
    'failures': real.capacity.failures + real.batched.failures + real.atFiveHundred.failures,
    'ack_p99_ms_at_500rps': real.atFiveHundred.p99,
    'baseline_ack_p99_ms_at_500rps': base.atFiveHundred.p99,
    'p99_ratio_to_baseline': real.atFiveHundred.p99 / base.atFiveHundred.p99,
    'ack_p50_ms_at_500rps': real.atFiveHundred.p50,
    'ack_p95_ms_at_500rps': real.atFiveHundred.p95,
    'ack_max_ms_at_500rps': real.atFiveHundred.max,
    'baseline_ack_p50_ms_at_500rps': base.atFiveHundred.p50,
    'baseline_ack_p95_ms_at_500rps': base.atFiveHundred.p95,
    'baseline_ack_max_ms_at_500rps': base.atFiveHundred.max,
    'loop_delay_p99_ms_at_500rps': real.loopDelayAtFiveHundred.p99,
    'loop_delay_max_ms_at_500rps': real.loopDelayAtFiveHundred.max,
    'baseline_loop_delay_p99_ms_at_500rps': base.loopDelayAtFiveHundred.p99,
    'baseline_loop_delay_max_ms_at_500rps': base.loopDelayAtFiveHundred.max,
    'achieved_rps': real.atFiveHundred.perSecond,
    'peak_rss_mb': rss.peak,
    'idle_rss_mb_before_load': rss.beforeLoad,
    'idle_rss_mb_after_load': rss.afterLoad,
    'generator_and_server_pinned': pinned ? 1 : 0,
  };
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [`${prefix}.${name}`, value]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await runIngestBench());
}
