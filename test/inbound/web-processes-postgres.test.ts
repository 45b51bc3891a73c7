// Several web processes on one PostgreSQL database, as an operator scales the webhook out: LINE's
// deliveries land on either process, some twice at the same moment (a redelivery racing the original on
// the other process). Every event is stored once, with exactly one job, and every delivery gets its 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../backend/src/accounts/repository.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { recordInstall } from '../../backend/src/hubspot/portals.ts';
import { dispatchStoredEvents } from '../../backend/src/inbound/event-dispatch.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
import { freePort } from '../support/backend.ts';

import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/databases.ts';
import { waitUntil } from '../support/inbound-world.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs();

const root = new URL('../../', import.meta.url).pathname;
const DELIVERIES = 240;

describe.skipIf(!postgresAvailable())('two web processes on PostgreSQL', () => {
  let testDb: TestDatabase;
  let db: Knex;
  const processes: ChildProcess[] = [];
  const urls: string[] = [];
  const channelSecret = randomBytes(16).toString('hex');
  const webhookKey = randomBytes(24).toString('base64url');

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    db = openDatabase(testDb.url, { quiet: true });
    await migrateToLatest(db);
    const key = randomBytes(32);
    const secrets = new SecretBox(key);
    const now = Date.now();
    await db.transaction((trx) =>
      recordInstall(trx, secrets, { portalId: 88, hubDomain: null, accessToken: 'a', refreshToken: 'r', expiresAt: now + 3_600_000, scopes: [], userId: null }, now),
    );
    await insertAccount({ db, secrets }, {
      portalId: 88,
      channelId: '1600000088',
      channelSecret,
      channelAccessToken: 'token',
      botUserId: `U${randomBytes(16).toString('hex')}`,
      basicId: null,
      displayName: 'Scaled out',
      pictureUrl: null,
      webhookKey,
      loginKey: randomBytes(16).toString('hex'),
    });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const dir = tempDir('lfh-web-');
      const env = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: testDb.url, ENCRYPTION_KEY: key.toString('base64'), DATA_DIR: dir, LOG_LEVEL: 'warn' };
      processes.push(spawn(process.execPath, ['backend/src/main.ts', '--role=web'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] }));
      urls.push(`http://127.0.0.1:${port}`);
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, `web process ${i + 1} is ready`, 30_000);
    }
  }, 90_000);
  afterAll(async () => {
    for (const child of processes) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.destroy();
    await testDb?.drop();
  });

  const event = (n: number) => ({
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: `01WEB${n.toString().padStart(6, '0')}${randomBytes(6).toString('hex').toUpperCase()}`,
    source: { type: 'user', userId: `U${(n % 17).toString(16).padStart(32, '0')}` },
    deliveryContext: { isRedelivery: false },
    replyToken: randomBytes(16).toString('hex'),
    message: { id: String(700000 + n), type: 'text', text: `message ${n}` },
  });

  async function deliver(url: string, events: object[]): Promise<number> {
    const body = JSON.stringify({ destination: 'Uscaled', events });
    const signature = createHmac('sha256', channelSecret).update(body).digest('base64');
    const res = await fetch(`${url}/line/webhook/${webhookKey}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body });
    await res.arrayBuffer();
    return res.status;
  }

  it('stores every event once with one job, whichever process gets it and however often', async () => {
    let n = 0;
    const deliveries = Array.from({ length: DELIVERIES }, (_, i) => Array.from({ length: 1 + (i % 3) }, () => event(n++)));
    const sends: Array<Promise<number>> = [];
    deliveries.forEach((events, i) => {
      sends.push(deliver(urls[i % 2], events));
      // Every third delivery also reaches the other process at the same moment, marked as a redelivery.
      if (i % 3 === 0) {
        sends.push(deliver(urls[(i + 1) % 2], events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } }))));
      }
    });
    const statuses = await Promise.all(sends);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // Every delivery, redeliveries included, is stored as it came; unpacked and dispatched (as a worker would),
    // every event is stored once and has one job.
    expect(Number((await db('inbound_deliveries').count({ n: '*' }).first())!.n)).toBe(sends.length);
    await dispatchStoredEvents({ db, queue: new JobQueue(db), logger: pino({ level: 'silent' }) });
    const ids = deliveries.flat().map((e) => e.webhookEventId);
    const stored = await db('inbound_events').select('webhook_event_id');
    expect(stored.map((r) => r.webhook_event_id).sort()).toEqual([...ids].sort());
    const jobs = await db('jobs').where({ type: 'inbound.event' }).select('payload');
    const jobEvents = jobs.map((j) => (typeof j.payload === 'string' ? JSON.parse(j.payload) : j.payload).webhookEventId);
    expect(jobEvents.sort()).toEqual([...ids].sort());
  }, 60_000);
});
