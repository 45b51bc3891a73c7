// POST /line/webhook/:webhookKey: what is accepted, what is refused, and that an accepted delivery is
// stored before the 200, as it came, and its events once each with their processing job by a worker's dispatch.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../emulators/line/index.ts';
import { deleteAccount, updateAccount } from '../../backend/src/accounts/repository.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { dispatchStoredEvents } from '../../backend/src/inbound/event-dispatch.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';

const METRICS_TOKEN = 'webhook-test-metrics-token-7c1d';
const fixture = readFileSync(new URL('../fixtures/line-webhook-text.json', import.meta.url), 'utf8');

describe.each(engines())('LINE webhook on %s', (engine) => {
  let db: TestDatabase;
  let world: InboundWorld;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    // Processing is not under test here: no worker, so rows and jobs stay as the request left them.
    world = await startInboundWorld({ databaseUrl: db.url, env: { ROLE: 'web', METRICS_TOKEN } });
  });
  afterAll(async () => {
    await world.close();
    await db.drop();
  });

  const post = (key: string, body: string, signature?: string, headers: Record<string, string> = {}) =>
    fetch(`${world.backend.url}/line/webhook/${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-line-signature': signature }), ...headers },
      body,
    });
  const count = async (table: string) => Number((await world.ctx.db(table).count({ n: '*' }).first())?.n);
  /** Rows a refused request must not have written: deliveries and events. */
  const stored = async () => (await count('inbound_deliveries')) + (await count('inbound_events'));

  it('answers 404 for an unknown webhook key and stores nothing', async () => {
    const res = await post('no-such-key-0123456789abcdef', fixture, signBody(world.account.channel.channelSecret, fixture));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    expect(await stored()).toBe(0);
  });

  it('answers 401 for a missing or wrong signature and stores nothing', async () => {
    expect((await post(world.account.webhookKey, fixture)).status).toBe(401);
    expect((await post(world.account.webhookKey, fixture, signBody('another-secret', fixture))).status).toBe(401);
    // Signed over different bytes than were sent (re-serialised JSON): refused.
    const reformatted = JSON.stringify(JSON.parse(fixture), null, 2);
    expect((await post(world.account.webhookKey, reformatted, signBody(world.account.channel.channelSecret, fixture))).status).toBe(401);
    expect(await stored()).toBe(0);
    expect(await count('jobs')).toBe(0);
  });

  it('answers 400 for malformed JSON and 413 for a body over 1 MB', async () => {
    const broken = '{"destination":"U1","events":[';
    expect((await post(world.account.webhookKey, broken, signBody(world.account.channel.channelSecret, broken))).status).toBe(400);
    const huge = JSON.stringify({ destination: 'U1', events: [], padding: 'x'.repeat(1_100_000) });
    expect((await post(world.account.webhookKey, huge, signBody(world.account.channel.channelSecret, huge))).status).toBe(413);
    expect(await stored()).toBe(0);
  });

  it('answers 400 for a signed body that is not a webhook body', async () => {
    const body = JSON.stringify({ destination: 'U1', events: [{ type: 'message' }] });
    const res = await post(world.account.webhookKey, body, signBody(world.account.channel.channelSecret, body));
    expect(res.status).toBe(400);
    expect(await stored()).toBe(0);
  });

  it('answers 200 to the connectivity check (events: [])', async () => {
    const body = JSON.stringify({ destination: world.account.channel.botUserId, events: [] });
    expect((await post(world.account.webhookKey, body, signBody(world.account.channel.channelSecret, body))).status).toBe(200);
    expect(await stored()).toBe(0);
  });

  it('stores each delivery as it came, and the dispatch each event once with its job, partitioned by user and deduplicated by webhookEventId', async () => {
    const res = await post(world.account.webhookKey, fixture, signBody(world.account.channel.channelSecret, fixture));
    expect(res.status).toBe(200);
    const again = await post(world.account.webhookKey, fixture, signBody(world.account.channel.channelSecret, fixture));
    expect(again.status).toBe(200);
    // Stored as LINE sent them, no event and no job yet: a worker's dispatch unpacks them.
    const deliveries = await world.ctx.db('inbound_deliveries').select('body', 'portal_id', 'line_account_id');
    expect(deliveries.map((d) => [d.body, Number(d.portal_id), Number(d.line_account_id)])).toEqual([fixture, fixture].map((b) => [b, world.portal.portalId, world.account.id]));
    expect(await count('inbound_events')).toBe(0);
    expect(await world.ctx.db('jobs').where({ type: 'inbound.event' })).toHaveLength(0);
    expect(await dispatchStoredEvents(world.ctx)).toBe(1);
    expect(await count('inbound_deliveries')).toBe(0);
    const events = await world.ctx.db('inbound_events').select();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ webhook_event_id: '01HQ8Z9B3KX5Q2M7N4P6R8T0VW', type: 'message', chat_id: 'U4af4980629a1b2c3d4e5f60718293a4b', portal_id: world.portal.portalId });
    expect(JSON.parse(events[0].payload).message.text).toBe('こんにちは、予約の件で質問があります');
    expect(events[0].dispatched_at).not.toBeNull();
    const jobs = await world.ctx.db('jobs').where({ type: 'inbound.event' }).select();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].partition_key).toBe(`line:${world.account.id}:U4af4980629a1b2c3d4e5f60718293a4b`);
    expect(JSON.parse(jobs[0].payload)).toEqual({ webhookEventId: '01HQ8Z9B3KX5Q2M7N4P6R8T0VW' });
    const account = await world.ctx.db('line_accounts').where({ id: world.account.id }).first();
    expect(Number(account.last_event_at)).toBeGreaterThan(0);
  });

  it('stores the events of a real delivery from LINE (many users and types in one body)', async () => {
    const { line, account } = world;
    const [a, b] = [line.createUser({ displayName: 'Aiko' }), line.createUser({ displayName: 'Ben' })];
    const events = [
      line.events.follow(account.channel.channelId, a.userId),
      line.events.text(account.channel.channelId, a.userId, 'hello'),
      line.events.follow(account.channel.channelId, b.userId),
      line.events.sticker(account.channel.channelId, b.userId, '446', '1988'),
      line.events.custom(account.channel.channelId, b.userId, 'somethingNew', { somethingNew: { x: 1 } }),
    ];
    const answer = await line.deliver(account.channel.channelId, events);
    expect(answer.status).toBe(200);
    await dispatchStoredEvents(world.ctx);
    const rows = await world.ctx.db('inbound_events').whereIn('webhook_event_id', events.map((e) => e.webhookEventId)).select('type');
    expect(rows.map((r) => r.type).sort()).toEqual(['follow', 'follow', 'message', 'message', 'somethingNew']);
    // A redelivery of the same events changes nothing.
    expect((await line.redeliver(account.channel.channelId, events[1].webhookEventId)).status).toBe(200);
    expect(await dispatchStoredEvents(world.ctx)).toBe(0);
    expect(await world.ctx.db('inbound_events').whereIn('webhook_event_id', events.map((e) => e.webhookEventId)).count({ n: '*' }).first()).toMatchObject({ n: 5 });
  });

  it('stores concurrent deliveries together, each event once, even when they repeat each other', async () => {
    const { line, account } = world;
    const users = Array.from({ length: 40 }, () => line.createUser());
    const shared = line.events.text(account.channel.channelId, users[0].userId, 'sent in every body');
    const bodies = users.map((u) => JSON.stringify({ destination: account.channel.botUserId, events: [line.events.text(account.channel.channelId, u.userId, 'hi'), shared] }));
    await dispatchStoredEvents(world.ctx);
    const before = { events: await count('inbound_events'), jobs: await count('jobs') };
    const answers = await Promise.all(bodies.map((b) => post(account.webhookKey, b, signBody(account.channel.channelSecret, b))));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
    // Each delivery is a row; no event and no job is written with them.
    expect(await count('inbound_deliveries')).toBe(40);
    expect(await count('inbound_events')).toBe(before.events);
    expect(await count('jobs')).toBe(before.jobs);
    // The dispatch stores each event once and gives it one job.
    expect(await dispatchStoredEvents(world.ctx)).toBe(41);
    expect(await count('inbound_events')).toBe(before.events + 41);
    expect(await count('jobs')).toBe(before.jobs + 41);
  });

  it('stores a delivery sent in another UTF charset as its JSON text, whose events unpack like any other', async () => {
    const { line, account } = world;
    const event = line.events.text(account.channel.channelId, line.createUser().userId, 'UTF-16 で届きました');
    const bytes = Buffer.from(JSON.stringify({ destination: account.channel.botUserId, events: [event] }), 'utf16le');
    const signature = createHmac('sha256', account.channel.channelSecret).update(bytes).digest('base64');
    const res = await fetch(`${world.backend.url}/line/webhook/${account.webhookKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-16le', 'x-line-signature': signature },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse((await world.ctx.db('inbound_deliveries').orderBy('id', 'desc').first('body')).body).events[0].message.text).toBe('UTF-16 で届きました');
    await dispatchStoredEvents(world.ctx);
    const row = await world.ctx.db('inbound_events').where({ webhook_event_id: event.webhookEventId }).first('payload');
    expect(JSON.parse(row.payload).message.text).toBe('UTF-16 で届きました');
  });

  it('answers as every route does (request id, nosniff, JSON), and the latency metric names the route', async () => {
    const { account } = world;
    const body = JSON.stringify({ destination: account.channel.botUserId, events: [] });
    const given = await post(account.webhookKey, body, signBody(account.channel.channelSecret, body), { 'x-request-id': 'line-delivery-42' });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-request-id')).toBe('line-delivery-42');
    expect(given.headers.get('x-content-type-options')).toBe('nosniff');
    expect(given.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await given.json()).toEqual({});
    const made = await post(account.webhookKey, body, signBody(account.channel.channelSecret, body), { 'x-request-id': 'not a token!' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const unknown = await post('no-such-key-0123456789abcdef', body, 'c2lnbmF0dXJl');
    expect(unknown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'Unknown webhook URL' } });
    const metrics = await (await fetch(`${world.backend.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/line\/webhook\/:webhookKey",status="200"\} [1-9]/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/line\/webhook\/:webhookKey",status="404"\} [1-9]/);
  });

  it('refuses a body not sent as JSON or in another charset than UTF-8 and UTF-16 (415, nothing stored), and takes a trailing slash and a query string', async () => {
    const { line, account } = world;
    await dispatchStoredEvents(world.ctx);
    const before = await stored();
    const body = JSON.stringify({ destination: account.channel.botUserId, events: [line.events.text(account.channel.channelId, line.createUser().userId, 'hi')] });
    const signature = signBody(account.channel.channelSecret, body);
    const asText = await post(account.webhookKey, body, signature, { 'content-type': 'text/plain' });
    expect(asText.status).toBe(415);
    expect((await asText.json()).error.code).toBe('unsupported_media_type');
    expect((await post(account.webhookKey, body, signature, { 'content-type': 'application/json; charset=latin1' })).status).toBe(415);
    expect(await stored()).toBe(before);
    expect((await post(`${account.webhookKey}/?retry=1`, body, signature)).status).toBe(200);
    expect(await count('inbound_deliveries')).toBe(1);
  });

  it('accepts a replaced channel secret at once, and refuses the old one', async () => {
    const extra = await world.connectAccount();
    const first = JSON.stringify({ destination: extra.channel.botUserId, events: [] });
    expect((await post(extra.webhookKey, first, signBody(extra.channel.channelSecret, first))).status).toBe(200);
    const newSecret = 'f'.repeat(32);
    await updateAccount(world.ctx, extra.portalId, extra.id, { channelSecret: newSecret });
    const body = JSON.stringify({ destination: extra.channel.botUserId, events: [world.line.events.text(extra.channel.channelId, world.line.createUser().userId, 'after rotation')] });
    expect((await post(extra.webhookKey, body, signBody(newSecret, body))).status).toBe(200);
    expect((await post(extra.webhookKey, body, signBody(extra.channel.channelSecret, body))).status).toBe(401);
  });

  it('answers 404 and stores nothing for an account removed after its webhooks were seen', async () => {
    const gone = await world.connectAccount();
    const ping = JSON.stringify({ destination: gone.channel.botUserId, events: [] });
    expect((await post(gone.webhookKey, ping, signBody(gone.channel.channelSecret, ping))).status).toBe(200);
    expect(await deleteAccount(world.ctx, gone.portalId, gone.id)).not.toBeNull();
    const event = world.line.events.text(gone.channel.channelId, world.line.createUser().userId, 'too late');
    const body = JSON.stringify({ destination: gone.channel.botUserId, events: [event] });
    expect((await post(gone.webhookKey, body, signBody(gone.channel.channelSecret, body))).status).toBe(404);
    expect(await world.ctx.db('inbound_deliveries').where({ line_account_id: gone.id })).toHaveLength(0);
    await dispatchStoredEvents(world.ctx);
    expect(await world.ctx.db('inbound_events').where({ webhook_event_id: event.webhookEventId })).toHaveLength(0);
    expect(await world.ctx.db('jobs').where({ type: 'inbound.event', payload: JSON.stringify({ webhookEventId: event.webhookEventId }) })).toHaveLength(0);
  });

  it('never logs the channel secret or access token', () => {
    const logs = world.backend.logText();
    expect(logs).not.toContain(world.account.channel.channelSecret);
    expect(logs).not.toContain(world.account.channel.accessToken);
  });
});
