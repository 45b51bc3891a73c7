// The webhook's write path on each database engine: deliveries that arrive together are written in one
// direct write (the events, and the account's last event time when due), and a worker's dispatch gives each event its job, a redelivered event adds
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
import { dispatchStoredEvents } from '../../backend/src/inbound/event-dispatch.ts';
import { WebhookEventStore } from '../../backend/src/inbound/event-store.ts';
import type { WebhookEvent } from '../../backend/src/inbound/webhook-body.ts';
import { JobQueue } from '../../backend/src/jobs/queue.ts';
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

  it('stores concurrent deliveries, each new event once and waiting for its job, which the dispatch gives it once; a redelivery adds nothing', async () => {
    const queue = new JobQueue(db);
    queue.events.on('enqueued', () => wakeups++);
    const store = storeWith(queue);
    const text = 'two "quoted" 日本語 😀 \\ back\nslash';
    const first = [textEvent('Ua', 'one'), textEvent('Ua', text)];
    const second = [textEvent('Ub', 'three')];
    const before = Date.now();
    expect(await Promise.all([store.store(account, first), store.store(account, second), store.store(account, [first[0]])])).toEqual([2, 1, 0]);
    expect(wakeups).toBeGreaterThan(0);

    const events = await db('inbound_events').orderBy('id').select('id', 'webhook_event_id', 'line_user_id', 'chat_id', 'is_redelivery', 'payload', 'dispatched_at');
    expect(events.map((e) => e.webhook_event_id)).toEqual([...first, ...second].map((e) => e.webhookEventId));
    expect(events.map((e) => e.line_user_id)).toEqual(['Ua', 'Ua', 'Ub']);
    expect(events.map((e) => Boolean(e.is_redelivery))).toEqual([false, false, false]);
    expect(JSON.parse(events[1].payload).message.text).toBe(text);
    expect(events.map((e) => e.dispatched_at)).toEqual([null, null, null]);
    expect(await db('jobs')).toEqual([]);
    const touched = await db('line_accounts').where({ id: account.id }).first('last_event_at');
    expect(Number(touched.last_event_at)).toBeGreaterThanOrEqual(before);

    // Dispatched, each event has its job in its user's partition, in the order LINE sent them; dispatched
    // again at the same time (a second worker), nothing is added.
    const ctx = { db, queue };
    expect((await Promise.all([dispatchStoredEvents(ctx), dispatchStoredEvents(ctx)])).sort()).toEqual([0, 3]);
    const jobs = await db('jobs').orderBy('id').select('type', 'payload', 'partition_key', 'portal_id', 'line_account_id', 'state');
    expect(jobs.map((j) => [j.type, JSON.parse(j.payload).webhookEventId])).toEqual(events.map((e) => ['inbound.event', e.webhook_event_id]));
    expect(jobs.map((j) => j.partition_key)).toEqual([`line:${account.id}:Ua`, `line:${account.id}:Ua`, `line:${account.id}:Ub`]);
    expect(jobs.every((j) => j.state === 'queued' && Number(j.portal_id) === 77 && Number(j.line_account_id) === account.id)).toBe(true);
    expect(await db('inbound_events').whereNull('dispatched_at')).toEqual([]);

    expect(await store.store(account, [second[0], textEvent('Ub', 'four')])).toBe(1);
    expect(Number((await db('inbound_events').count({ n: '*' }).first())!.n)).toBe(4);
    expect(await dispatchStoredEvents(ctx)).toBe(1);
    expect(Number((await db('jobs').count({ n: '*' }).first())!.n)).toBe(4);
  });

  it('rolls back a write of several statements that fails half-way, and keeps the connection usable', async () => {
    const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())!.n);
    const before = await count('inbound_events');
    // 70 events take two inserts (64 rows, then 4 and 2); a type that is not there (NOT NULL) fails the last one.
    const many = Array.from({ length: 70 }, (_, i) => textEvent('Uc', `many ${i}`));
    const broken = { ...many[69], type: null } as unknown as WebhookEvent;
    const store = storeWith(new JobQueue(db));
    await expect(store.store(account, [...many.slice(0, 69), broken])).rejects.toThrow(/NOT NULL|null value/);
    expect(await count('inbound_events')).toBe(before);

    // LINE redelivers (this time whole): every event is new again.
    expect(await store.store(account, many)).toBe(70);
    expect(await count('inbound_events')).toBe(before + 70);
  });

  it('leaves events waiting when their dispatch fails, and gives them their jobs at the next one', async () => {
    const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())!.n);
    const queue = new JobQueue(db);
    await dispatchStoredEvents({ db, queue });
    const jobs = await count('jobs');
    expect(await storeWith(queue).store(account, [textEvent('Ug', 'waits')])).toBe(1);
    // A clock that answers no time makes the job rows invalid (run_at is NOT NULL): the dispatch fails after reading the event.
    await expect(dispatchStoredEvents({ db, queue: new JobQueue(db, { clock: () => Number.NaN }) })).rejects.toThrow();
    expect(await db('inbound_events').whereNull('dispatched_at')).toHaveLength(1);
    expect(await count('jobs')).toBe(jobs);
    expect(await dispatchStoredEvents({ db, queue })).toBe(1);
    expect(await count('jobs')).toBe(jobs + 1);
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
