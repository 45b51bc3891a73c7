// Monthly quota, per-channel rate limit and injected faults (status, count, latency, hang,
// lost responses), as a backend's retry logic meets them.
import { randomUUID } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLineEmulator } from './index.ts';
import type { LineEmulator } from './index.ts';

let line: LineEmulator;
beforeAll(async () => {
  line = await startLineEmulator();
});
afterAll(async () => {
  line.faults.clear();
  await line.close();
});

async function setup(o: { quota?: number | null; rate?: number } = {}) {
  const channel = line.createChannel({ monthlyQuota: o.quota ?? null, rateLimitPerSecond: o.rate });
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.accessToken, baseURL: line.baseUrl });
  const user = line.createUser();
  line.events.follow(channel.channelId, user.userId); // no webhook URL: the friendship alone is what these tests need
  return { channel, client, user };
}

const text = (t: string) => [{ type: 'text' as const, text: t }];

async function failure(p: Promise<unknown>): Promise<HTTPFetchError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HTTPFetchError);
  return e as HTTPFetchError;
}

describe('monthly quota', () => {
  it('answers 429 "You have reached your monthly limit." once the quota is used, and sends nothing', async () => {
    const { channel, client, user } = await setup();
    line.setQuota(channel.channelId, { limit: 2, used: 1 });
    await client.pushMessage({ to: user.userId, messages: text('last one') });
    const e = await failure(client.pushMessage({ to: user.userId, messages: text('over') }));
    expect(e.status).toBe(429);
    expect(JSON.parse(e.body)).toEqual({ message: 'You have reached your monthly limit.' });
    expect(line.received(channel.channelId, user.userId)).toHaveLength(1);
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 2 });
    line.setQuota(channel.channelId, { limit: null });
    expect(await client.getMessageQuota()).toEqual({ type: 'none' });
    await client.pushMessage({ to: user.userId, messages: text('unlimited now') });
  });

  it('still answers 409 for a retried request after the quota ran out', async () => {
    const { channel, client, user } = await setup({ quota: 1 });
    const key = randomUUID();
    await client.pushMessage({ to: user.userId, messages: text('x') }, key);
    expect((await failure(client.pushMessage({ to: user.userId, messages: text('x') }, key))).status).toBe(409);
    expect(line.received(channel.channelId, user.userId)).toHaveLength(1);
  });
});

describe('rate limit', () => {
  it('answers 429 beyond the per-channel requests per second, and recovers a second later', async () => {
    const { client } = await setup({ rate: 3 });
    for (let i = 0; i < 3; i++) await client.getBotInfo();
    const e = await failure(client.getBotInfo());
    expect(e.status).toBe(429);
    expect(JSON.parse(e.body)).toEqual({ message: 'The API rate limit has been exceeded. Try again later.' });
    line.clock.advance(1001);
    await client.getBotInfo();
  });
});

describe('faults', () => {
  it('answers an injected status with a LINE error body for the given number of requests', async () => {
    const { channel, client, user } = await setup();
    line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 2 });
    for (let i = 0; i < 2; i++) expect((await failure(client.pushMessage({ to: user.userId, messages: text('x') }))).status).toBe(500);
    await client.pushMessage({ to: user.userId, messages: text('x') });
    expect(line.received(channel.channelId, user.userId)).toHaveLength(1);
  });

  it('answers a 429 with custom headers on a path pattern', async () => {
    const { client, user } = await setup();
    line.faults.inject({ path: /^\/v2\/bot\/profile\//, status: 429, headers: { 'retry-after': '7' } });
    const e = await failure(client.getProfile(user.userId));
    expect(e.status).toBe(429);
    expect(e.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(e.body).message).toMatch(/rate limit/);
  });

  it('adds latency without changing the answer', async () => {
    const { client } = await setup();
    line.faults.inject({ path: '/v2/bot/info', delayMs: 150 });
    const started = Date.now();
    await client.getBotInfo();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hangs until the client gives up, and close() still returns', async () => {
    const local = await startLineEmulator();
    const channel = local.createChannel();
    local.faults.inject({ path: '/v2/bot/info', hang: true });
    const outcome = await fetch(`${local.baseUrl}/v2/bot/info`, { headers: { authorization: `Bearer ${channel.accessToken}` }, signal: AbortSignal.timeout(200) }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(outcome).toBe('TimeoutError');
    await local.close();
    expect(local.requests.at(-1)).toMatchObject({ path: '/v2/bot/info', status: 0 });
  });

  it('loses the response after processing: the retry with the same key gets 409 and the original sentMessages', async () => {
    const { channel, client, user } = await setup();
    const key = randomUUID();
    line.faults.inject({ path: '/v2/bot/message/push', status: 503, afterProcessing: true });
    expect((await failure(client.pushMessage({ to: user.userId, messages: text('exactly once') }, key))).status).toBe(503);
    const delivered = line.received(channel.channelId, user.userId);
    expect(delivered).toHaveLength(1);
    const e = await failure(client.pushMessage({ to: user.userId, messages: text('exactly once') }, key));
    expect(e.status).toBe(409);
    expect(JSON.parse(e.body).sentMessages).toEqual(delivered[0].sentMessages);
    expect(line.received(channel.channelId, user.userId)).toHaveLength(1);
  });

  it('records every request with its channel', async () => {
    const { channel, client } = await setup();
    await client.getBotInfo();
    expect(line.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v2/bot/info', status: 200, channelId: channel.channelId });
  });
});
