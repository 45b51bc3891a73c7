// The webhook's write path on each database engine: deliveries that arrive together are written in one
// direct write (one row per delivery, and the account's last event time when due), a worker's dispatch
// unpacks them into events (a redelivered event adds nothing) and gives each event its job, and a write or
// dispatch that fails half-way leaves nothing behind but what waits for the next one.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount, type LineAccount } from '../../backend/src/accounts/repository.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { recordInstall } from '../../backend/src/hubspot/portals.ts';
import { dispatchStoredEvents, unpackDeliveries } from '../../backend/src/inbound/event-dispatch.ts';
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

/** A delivery's body as LINE sends it. */
const body = (events: WebhookEvent[]): string => JSON.stringify({ destination: 'Ubot', events });

describe.each(engines())('webhook event store on %s', (engine) => {
  let testDb: TestDatabase;
  let db: Knex;
  let account: LineAccount;
  let wakeups = 0;
  const logger = pino({ level: 'silent' });
  const storeWith = (queue: JobQueue) => new WebhookEventStore({ db, queue } as unknown as AppContext);
  const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())!.n);

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

  it('stores concurrent deliveries as one row each, which the dispatch unpacks into events, each new event once with its job once; a redelivery adds nothing', async () => {
    const queue = new JobQueue(db);
    queue.events.on('enqueued', () => wakeups++);
    const store = storeWith(queue);
    const text = 'two "quoted" 日本語 😀 \\ back\nslash';
    const first = [textEvent('Ua', 'one'), textEvent('Ua', text)];
    const second = [textEvent('Ub', 'three')];
    const before = Date.now();
    await Promise.all([store.store(account, body(first)), store.store(account, body(second)), store.store(account, body([first[0]]))]);
    expect(wakeups).toBeGreaterThan(0);
    const deliveries = await db('inbound_deliveries').orderBy('id').select('body', 'line_account_id', 'portal_id');
    expect(deliveries.map((d) => d.body)).toEqual([body(first), body(second), body([first[0]])]);
    expect(deliveries.every((d) => Number(d.line_account_id) === account.id && Number(d.portal_id) === 77)).toBe(true);
    expect(await count('inbound_events')).toBe(0);
    expect(await db('jobs')).toEqual([]);
    const touched = await db('line_accounts').where({ id: account.id }).first('last_event_at');
    expect(Number(touched.last_event_at)).toBeGreaterThanOrEqual(before);

    // Dispatched, each event is stored once and has its job in its user's partition, in the order LINE sent
    // them; dispatched again at the same time (a second worker), nothing is added.
    const ctx = { db, queue, logger };
    expect((await Promise.all([dispatchStoredEvents(ctx), dispatchStoredEvents(ctx)])).sort()).toEqual([0, 3]);
    expect(await count('inbound_deliveries')).toBe(0);
    const events = await db('inbound_events').orderBy('id').select('id', 'webhook_event_id', 'line_user_id', 'chat_id', 'is_redelivery', 'payload', 'dispatched_at');
    expect(events.map((e) => e.webhook_event_id)).toEqual([...first, ...second].map((e) => e.webhookEventId));
    expect(events.map((e) => e.line_user_id)).toEqual(['Ua', 'Ua', 'Ub']);
    expect(events.map((e) => Boolean(e.is_redelivery))).toEqual([false, false, false]);
    expect(JSON.parse(events[1].payload).message.text).toBe(text);
    const jobs = await db('jobs').orderBy('id').select('type', 'payload', 'partition_key', 'portal_id', 'line_account_id', 'state');
    expect(jobs.map((j) => [j.type, JSON.parse(j.payload).webhookEventId])).toEqual(events.map((e) => ['inbound.event', e.webhook_event_id]));
    expect(jobs.map((j) => j.partition_key)).toEqual([`line:${account.id}:Ua`, `line:${account.id}:Ua`, `line:${account.id}:Ub`]);
    expect(jobs.every((j) => j.state === 'queued' && Number(j.portal_id) === 77 && Number(j.line_account_id) === account.id)).toBe(true);
    expect(await db('inbound_events').whereNull('dispatched_at')).toEqual([]);

    await store.store(account, body([second[0], textEvent('Ub', 'four')]));
    expect(await dispatchStoredEvents(ctx)).toBe(1);
    expect(await count('inbound_events')).toBe(4);
    expect(await count('jobs')).toBe(4);
  });

  it('rolls back a write of several statements that fails half-way, and keeps the connection usable', async () => {
    const store = storeWith(new JobQueue(db));
    const before = await count('inbound_deliveries');
    const many = Array.from({ length: 70 }, (_, i) => body([textEvent('Uc', `many ${i}`)]));
    // Stored in the same turn of the event loop, the 70 are written together: 64 rows, then 6, in a
    // transaction; a body that is not there (NOT NULL) fails the last statement.
    const batch = [...many.slice(0, 69), null as unknown as string].map((b) => store.store(account, b));
    for (const stored of await Promise.allSettled(batch)) expect(stored).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/NOT NULL|null value/) } });
    expect(await count('inbound_deliveries')).toBe(before);

    // LINE redelivers them: every one is stored.
    await Promise.all(many.map((b) => store.store(account, b)));
    expect(await count('inbound_deliveries')).toBe(before + 70);
    const events = await count('inbound_events');
    await dispatchStoredEvents({ db, queue: new JobQueue(db), logger });
    expect(await count('inbound_events')).toBe(events + 70);
  });

  it('leaves events waiting when their dispatch fails, and gives them their jobs at the next one', async () => {
    const queue = new JobQueue(db);
    await dispatchStoredEvents({ db, queue, logger });
    const jobs = await count('jobs');
    await storeWith(queue).store(account, body([textEvent('Ug', 'waits')]));
    // A clock that answers no time makes the job rows invalid (run_at is NOT NULL): the dispatch fails after
    // the delivery was unpacked and the event read.
    await expect(dispatchStoredEvents({ db, queue: new JobQueue(db, { clock: () => Number.NaN }), logger })).rejects.toThrow();
    expect(await db('inbound_events').whereNull('dispatched_at')).toHaveLength(1);
    expect(await count('jobs')).toBe(jobs);
    expect(await dispatchStoredEvents({ db, queue, logger })).toBe(1);
    expect(await count('jobs')).toBe(jobs + 1);
  });

  it('drops, with a warning, a stored delivery that is not a webhook body, and unpacks the others', async () => {
    const warnings: string[] = [];
    const watching = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    const queue = new JobQueue(db);
    await dispatchStoredEvents({ db, queue, logger });
    const store = storeWith(queue);
    const fine = textEvent('Uh', 'fine');
    await store.store(account, 'not json');
    await store.store(account, JSON.stringify({ destination: 'Ubot', events: [{ type: 'message' }] }));
    await store.store(account, body([fine]));
    expect(await dispatchStoredEvents({ db, queue, logger: watching })).toBe(1);
    expect(warnings).toEqual(['dropped a stored LINE webhook delivery that is not a webhook body', 'dropped a stored LINE webhook delivery that is not a webhook body']);
    expect(await count('inbound_deliveries')).toBe(0);
    expect(await db('inbound_events').where({ webhook_event_id: fine.webhookEventId }).first()).toBeDefined();
  });

  it('unpacks the deliveries behind one whose events cannot be stored, which waits, reported, and is tried again a minute later', async () => {
    // A trigger refuses events of type "poison": the delivery holding one cannot be unpacked.
    if (engine === 'postgres') {
      await db.raw(`create function refuse_poison() returns trigger as $$ begin if new.type = 'poison' then raise exception 'poisoned event'; end if; return new; end $$ language plpgsql`);
      await db.raw('create trigger refuse_poison before insert on inbound_events for each row execute function refuse_poison()');
    } else {
      await db.raw(`create trigger refuse_poison before insert on inbound_events when new.type = 'poison' begin select raise(abort, 'poisoned event'); end`);
    }
    const errors: Array<{ msg: string; deliveryId: number; retryInMs: number }> = [];
    const watching = pino({ level: 'error' }, { write: (line: string) => errors.push(JSON.parse(line)) });
    const queue = new JobQueue(db);
    await dispatchStoredEvents({ db, queue, logger });
    const store = storeWith(queue);
    const before = textEvent('Ui', 'before');
    const poison = { ...textEvent('Ui', 'poison'), type: 'poison' };
    const after = Array.from({ length: 30 }, (_, i) => textEvent('Ui', `after ${i}`));
    for (const events of [[before], [poison], ...after.map((e) => [e])]) await store.store(account, body(events));
    const poisonDelivery = Number((await db('inbound_deliveries').orderBy('id').select('id'))[1].id);

    expect(await dispatchStoredEvents({ db, queue, logger: watching })).toBe(31);
    const reported = ['could not unpack a stored LINE webhook delivery: it waits to be tried again', poisonDelivery];
    expect(errors.map((e) => [e.msg, e.deliveryId, e.retryInMs])).toEqual([[...reported, 60_000]]);
    expect((await db('inbound_deliveries').select('id')).map((d) => Number(d.id))).toEqual([poisonDelivery]);
    expect(await db('inbound_events').whereIn('webhook_event_id', [before, ...after].map((e) => e.webhookEventId))).toHaveLength(31);

    // Within the minute it is skipped, silently, and what comes after it is unpacked.
    const later = textEvent('Ui', 'later');
    await store.store(account, body([later]));
    expect(await unpackDeliveries({ db, logger: watching }, () => Date.now() + 59_000)).toBe(1);
    expect(errors).toHaveLength(1);
    // After it, it is tried again; failing again, it waits twice as long.
    expect(await unpackDeliveries({ db, logger: watching }, () => Date.now() + 61_000)).toBe(0);
    expect(errors.map((e) => [e.msg, e.deliveryId, e.retryInMs])).toEqual([[...reported, 60_000], [...reported, 120_000]]);

    await db.raw('drop trigger refuse_poison' + (engine === 'postgres' ? ' on inbound_events' : ''));
    if (engine === 'postgres') await db.raw('drop function refuse_poison');
    expect(await unpackDeliveries({ db, logger }, () => Date.now() + 60 * 60_000)).toBe(1);
    expect(await count('inbound_deliveries')).toBe(0);
    expect(await dispatchStoredEvents({ db, queue, logger })).toBe(2);
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
    await Promise.all([store.store(account, body([textEvent('Ue', 'first')])), store.store(other, body([textEvent('Uf', 'first')]))]);
    await db('line_accounts').where({ id: other.id }).delete();
    const kept = textEvent('Ue', 'kept');
    const refused = textEvent('Uf', 'refused');
    // Stored in the same turn of the event loop, the three are written in one write.
    const alongside = store.store(account, body([textEvent('Ue', 'alongside')]));
    const [keptStored, refusedStored] = await Promise.allSettled([store.store(account, body([kept])), store.store(other, body([refused]))]);
    await alongside;
    expect(keptStored).toEqual({ status: 'fulfilled', value: undefined });
    expect(refusedStored).toMatchObject({ status: 'rejected', reason: { status: 404 } });
    await dispatchStoredEvents({ db, queue: new JobQueue(db), logger });
    expect(await db('inbound_events').where({ webhook_event_id: kept.webhookEventId }).first()).toBeDefined();
    expect(await db('inbound_events').where({ webhook_event_id: refused.webhookEventId }).first()).toBeUndefined();
  });

  it('stores nothing for an account removed after its delivery was verified', async () => {
    const gone = { ...account, id: account.id + 1000 };
    const store = storeWith(new JobQueue(db));
    await expect(store.store(gone, body([textEvent('Ud', 'to nobody')]))).rejects.toMatchObject({ status: 404 });
    expect(await db('inbound_deliveries').where({ line_account_id: gone.id }).first()).toBeUndefined();
  });
});
