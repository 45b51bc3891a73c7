// Kill -9 in the middle of a burst: the backend runs as its own process (node backend/src/main.ts),
// is killed while it processes, and started again. LINE redelivers what got no 200 meanwhile.
// Nothing is lost, nothing is duplicated (contacts, messages, timeline events).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../backend/src/context.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';
import { startLineEmulator, type LineEmulator, type WebhookEvent } from '../emulators/line/index.ts';
import { freePort, TEST_ENCRYPTION_KEY } from '../support/backend.ts';
import { connectLineAccount, pendingWork, waitUntil } from '../support/inbound-world.ts';
import { installPortal } from '../support/installed-portal.ts';
import { buildBurst, expectBurstComplete } from './burst-support.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs();

const root = new URL('../../', import.meta.url).pathname;
const LEASE_MS = 3_000;
// The backend process reads only its environment: HubSpot's limits on the shortest window an operator may set
// (80 of HubSpot's 100 calls per window), instead of sleeping through 10 s windows.
const RATE_WINDOW_MS = 1_000;

describe('crash recovery', () => {
  let line: LineEmulator;
  let hubspot: HubSpotEmulator;
  let child: ChildProcess | undefined;
  let db: ReturnType<typeof openDatabase> | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await db?.destroy();
    await line?.close();
    await hubspot?.close();
  });

  async function startBackend(env: Record<string, string>): Promise<ChildProcess> {
    const proc = spawn(process.execPath, ['backend/src/main.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitUntil(async () => (await fetch(`${env.PUBLIC_BASE_URL}/healthz`).catch(() => undefined))?.status === 200, 'the backend answers', 30_000);
    return proc;
  }

  it('finishes a burst after the backend is killed mid-way and started again', async () => {
    line = await startLineEmulator();
    hubspot = await startHubSpotEmulator({ rateLimit: { max: 100, windowMs: RATE_WINDOW_MS } });
    const dir = tempDir('lfh-crash-');
    const port = await freePort();
    const env = {
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${join(dir, 'crash.sqlite')}`,
      DATA_DIR: dir,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'warn',
      WORKER_POLL_MS: '25',
      // Jobs the killed process held run again once their lease expires: short here, 60 s by default.
      JOB_LEASE_MS: String(LEASE_MS),
      HUBSPOT_RATE_LIMIT_WINDOW_MS: String(RATE_WINDOW_MS),
      HUBSPOT_API_BASE_URL: hubspot.baseUrl,
      HUBSPOT_APP_BASE_URL: hubspot.appBaseUrl,
      HUBSPOT_CLIENT_ID: hubspot.clientId,
      HUBSPOT_CLIENT_SECRET: hubspot.clientSecret,
      HUBSPOT_APP_ID: String(hubspot.appId),
      LINE_API_BASE_URL: line.baseUrl,
      LINE_DATA_API_BASE_URL: line.baseUrl,
      LINE_LOGIN_BASE_URL: line.baseUrl,
    };
    // Seeded before the backend process starts: two processes writing one SQLite file at once can make a
    // read-then-write transaction fail with SQLITE_BUSY, which says nothing about crash recovery.
    db = openDatabase(env.DATABASE_URL);
    await migrateToLatest(db);
    const ctx = { db, secrets: new SecretBox(Buffer.from(TEST_ENCRYPTION_KEY, 'base64')) } as AppContext;
    const portal = hubspot.createPortal();
    const installed = await installPortal(ctx, hubspot, { portalId: portal.portalId });
    const account = await connectLineAccount({ ctx, line, hubspot, accessToken: installed.accessToken, portalId: portal.portalId, webhookBaseUrl: env.PUBLIC_BASE_URL });
    child = await startBackend(env);
    const channelId = account.channel.channelId;
    const burst = buildBurst(line, channelId);

    const undelivered: WebhookEvent[][] = [];
    let killed = false;
    for (const [r, round] of burst.rounds.entries()) {
      const bodies: WebhookEvent[][] = [];
      for (let i = 0; i < round.length; i += 20) bodies.push(round.slice(i, i + 20));
      const answers = await Promise.all(bodies.map((b) => line.deliver(channelId, b)));
      answers.forEach((a, i) => a.status !== 200 && undelivered.push(bodies[i]));
      if (r === 2 && !killed) {
        // Kill while the worker is busy with what was accepted so far.
        await waitUntil(async () => Number((await db!('jobs').where({ state: 'done' }).count({ n: '*' }).first())?.n) > 50, 'some events are processed');
        child.kill('SIGKILL');
        await new Promise((resolve) => child!.once('exit', resolve));
        killed = true;
      }
    }
    expect(undelivered.length).toBeGreaterThan(0);
    const pendingAtKill = await pendingWork(db);
    expect(pendingAtKill).toBeGreaterThan(0);

    child = await startBackend(env);
    // LINE redelivers the deliveries that failed while the backend was down.
    for (const body of undelivered) expect((await line.deliver(channelId, body, { redelivery: true })).status).toBe(200);
    // Jobs the killed process held run again once their short lease expires (well before the 60 s default).
    // A bound for a machine busy with the rest of the suite (files run side by side), not a measurement.
    await waitUntil(async () => (await pendingWork(db!)) === 0, 'every job is done', 120_000);
    await expectBurstComplete({ db, portal, burst, accountId: account.id });
    expect(await db('jobs').where({ state: 'dead' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  }, 240_000);
});
