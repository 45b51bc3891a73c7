// The webhook's write path on each database engine: deliveries that arrive together are written in one
// direct transaction (events, one dispatch job per account, the account's last event time), a redelivered event adds
// nothing, and a transaction that fails half-way leaves no event and no job behind and the connection usable.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount, type LineAccount } from '../../backend/src/accounts/repository.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { recordInstall } from '../../backend/src/hubspot/portals.ts';
import { inboundDispatchJob } from '../../backend/src/inbound/dispatch-job.ts';
import { WebhookEventStore } from '../../backend/src/inbound/event-store.ts';
import type { WebhookEvent } from '../../backend/src/inbound/webhook-body.ts';
import { JobQueue, type Job } from '../../backend/src/jobs/queue.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';

const textEvent = (userId: string, text: string): WebhookEvent => ({
  type: 'message',
  mode: 'active',
  timestamp: Date.now(),
  webhookEventId: `01TEST${randomBytes(10).toString('hex').toUpperCase()}`,
  source: { type: 'user', userId },
  deliveryContext: { isRedelivery: false },
  message: { id: randomBytes(6).toString('hex'), type: 'text', text },
});

describe.each(engines())('webhook event store on %s', (engine) => {
  let testDb: TestDatabase;
  let db: Knex;
  let account: LineAccount;
  let wakeups = 0;
  const storeWith = (queue: JobQueue) => new WebhookEventStore({ db, queue } as unknown as AppContext);

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    db = openDatabase(testDb.url, { quiet: true });
    await migrateToLatest(db);
    const secrets = new SecretBox(randomBytes(32));
    const now = Date.now();
    await db.transaction((trx) =>
      recordInstall(trx, secrets, { portalId: 77, hubDomain: null, accessToken: 'a', refreshToken: 'r', expiresAt: now + 3_600_000, scopes: [], userId: null }, now),
    );
    account = await insertAccount({ db, secrets }, {
      portalId: 77,
      channelId: '1600000077',
      channelSecret: 'secret',
      channelAccessToken: 'token',
      botUserId: `U${randomBytes(16).toString('hex')}`,
      basicId: null,
      displayName: 'Store test',
      pictureUrl: null,
      webhookKey: randomBytes(24).toString('base64url'),
      loginKey: randomBytes(16).toString('hex'),
    });
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  it('stores concurrent deliveries with one dispatch per write, which gives each new event its job once; a redelivery adds nothing', async () => {
    const queue = new JobQueue(db);
    queue.events.on('enqueued', () => wakeups++);
    const store = storeWith(queue);
    const text = 'two "quoted" 日本語 😀 \\ back\nslash';
    const first = [textEvent('Ua', 'one'), textEvent('Ua', text)];
    const second = [textEvent('Ub', 'three')];
    const before = Date.now();
    expect(await Promise.all([store.store(account, first), store.store(account, second), store.store(account, [first[0]])])).toEqual([2, 1, 0]);
    expect(wakeups).toBeGreaterThan(0);

    const events = await db('inbound_events').orderBy('id').select('id', 'webhook_event_id', 'line_user_id', 'chat_id', 'is_redelivery', 'payload');
    expect(events.map((e) => e.webhook_event_id)).toEqual([...first, ...second].map((e) => e.webhookEventId));
    expect(events.map((e) => e.line_user_id)).toEqual(['Ua', 'Ua', 'Ub']);
    expect(events.map((e) => Boolean(e.is_redelivery))).toEqual([false, false, false]);
    expect(JSON.parse(events[1].payload).message.text).toBe(text);
    // The first delivery was written alone (nothing was in progress), the other two together: two writes, two dispatches.
    const dispatches = await db('jobs').orderBy('id').select('type', 'payload', 'partition_key', 'portal_id', 'line_account_id', 'state');
    expect(dispatches.map((j) => [j.type, JSON.parse(j.payload).eventIds])).toEqual([
      ['inbound.dispatch', [Number(events[0].id), Number(events[1].id)]],
      ['inbound.dispatch', [Number(events[2].id)]],
    ]);
    expect(dispatches.every((j) => j.state === 'queued' && j.partition_key === `inbound-dispatch:${account.id}` && Number(j.portal_id) === 77 && Number(j.line_account_id) === account.id)).toBe(true);
    const touched = await db('line_accounts').where({ id: account.id }).first('last_event_at');
    expect(Number(touched.last_event_at)).toBeGreaterThanOrEqual(before);

    // Run, the dispatches give each event its job in its user's partition, in the order LINE sent them; run
    // again (a worker stopped before marking them done), they add nothing.
    const ctx = { db, queue } as unknown as AppContext;
    for (const job of await db('jobs').where({ type: 'inbound.dispatch' }).orderBy('id')) {
      for (let run = 0; run < 2; run++) {
        await inboundDispatchJob.run(ctx, { id: Number(job.id), payload: JSON.parse(job.payload) } as Job<{ eventIds: number[] }>);
      }
    }
    const jobs = await db('jobs').where({ type: 'inbound.event' }).orderBy('id').select('payload', 'partition_key', 'portal_id', 'line_account_id', 'state');
    expect(jobs.map((j) => JSON.parse(j.payload).webhookEventId)).toEqual(events.map((e) => e.webhook_event_id));
    expect(jobs.map((j) => j.partition_key)).toEqual([`line:${account.id}:Ua`, `line:${account.id}:Ua`, `line:${account.id}:Ub`]);
    expect(jobs.every((j) => j.state === 'queued' && Number(j.portal_id) === 77 && Number(j.line_account_id) === account.id)).toBe(true);

    expect(await store.store(account, [second[0], textEvent('Ub', 'four')])).toBe(1);
    expect(Number((await db('inbound_events').count({ n: '*' }).first())!.n)).toBe(4);
    expect(Number((await db('jobs').where({ type: 'inbound.dispatch' }).count({ n: '*' }).first())!.n)).toBe(3);
  });

  it('rolls back the events when their jobs cannot be written, answers the error, and keeps the connection usable', async () => {
    const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())!.n);
    const [events, jobs] = [await count('inbound_events'), await count('jobs')];
    // A clock that answers no time makes the job rows invalid (run_at is NOT NULL): the jobs insert fails after the events insert.
    const broken = storeWith(new JobQueue(db, { clock: () => Number.NaN }));
    const lost = textEvent('Uc', 'lost');
    await expect(broken.store(account, [lost])).rejects.toThrow();
    expect([await count('inbound_events'), await count('jobs')]).toEqual([events, jobs]);

    // LINE redelivers it: the event is new again and stored with its job.
    expect(await storeWith(new JobQueue(db)).store(account, [lost])).toBe(1);
    expect([await count('inbound_events'), await count('jobs')]).toEqual([events + 1, jobs + 1]);
  });

  it('refuses the deliveries of an account removed after its last touch and stores the others of the same batch', async () => {
    const secrets = new SecretBox(randomBytes(32));
    const other = await insertAccount({ db, secrets }, {
      portalId: 77,
      channelId: '1600000078',
      channelSecret: 'secret 2',
      channelAccessToken: 'token 2',
      botUserId: `U${randomBytes(16).toString('hex')}`,
      basicId: null,
      displayName: 'Removed soon',
      pictureUrl: null,
      webhookKey: randomBytes(24).toString('base64url'),
      loginKey: randomBytes(16).toString('hex'),
    });
    const store = storeWith(new JobQueue(db));
    // Both accounts are touched now: the next batch, within the touch interval, touches neither.
    expect(await Promise.all([store.store(account, [textEvent('Ue', 'first')]), store.store(other, [textEvent('Uf', 'first')])])).toEqual([1, 1]);
    await db('line_accounts').where({ id: other.id }).delete();
    const kept = textEvent('Ue', 'kept');
    const refused = textEvent('Uf', 'refused');
    // The two wait together for the transaction in progress, and are written in one.
    const inProgress = store.store(account, [textEvent('Ue', 'in progress')]);
    const [keptStored, refusedStored] = await Promise.allSettled([store.store(account, [kept]), store.store(other, [refused])]);
    expect(await inProgress).toBe(1);
    expect(keptStored).toEqual({ status: 'fulfilled', value: 1 });
    expect(refusedStored).toMatchObject({ status: 'rejected', reason: { status: 404 } });
    expect(await db('inbound_events').where({ webhook_event_id: kept.webhookEventId }).first()).toBeDefined();
    expect(await db('inbound_events').where({ webhook_event_id: refused.webhookEventId }).first()).toBeUndefined();
  });

  it('stores nothing for an account removed after its delivery was verified', async () => {
    const gone = { ...account, id: account.id + 1000 };
    const store = storeWith(new JobQueue(db));
    const event = textEvent('Ud', 'to nobody');
    await expect(store.store(gone, [event])).rejects.toMatchObject({ status: 404 });
    expect(await db('inbound_events').where({ webhook_event_id: event.webhookEventId }).first()).toBeUndefined();
  });
});
