// Whatever a LINE call fails with (an answer from LINE, no answer in time, no connection) arrives as one
// LineApiError. Real SDK calls against the LINE emulator produce the failures, as they would in production.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../backend/src/config.ts';
import { issueStatelessChannelToken } from '../../backend/src/line/channel-tokens.ts';
import { LineApiError } from '../../backend/src/line/line-api-error.ts';
import { lineChannel } from '../../backend/src/line/line-channel.ts';
import { startLineEmulator, type LineEmulator } from '../emulators/line/index.ts';
import { freePort } from '../support/free-port.ts';

let line: LineEmulator;
let config: Config;

beforeAll(async () => {
  line = await startLineEmulator({ trafficLog: '' });
  config = loadConfig({ LINE_API_BASE_URL: line.baseUrl, LINE_DATA_API_BASE_URL: line.baseUrl });
});
afterAll(async () => {
  line.faults.clear();
  await line.close();
});

function friendOfNewChannel(o: { monthlyQuota?: number } = {}) {
  const channel = line.createChannel({ monthlyQuota: o.monthlyQuota ?? null });
  const user = line.createUser();
  line.events.follow(channel.channelId, user.userId);
  return { channel, user, api: lineChannel(config, channel.accessToken) };
}

async function failureOf(call: Promise<unknown>): Promise<LineApiError> {
  const thrown = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(LineApiError);
  return thrown as LineApiError;
}

const text = (t: string) => [{ type: 'text' as const, text: t }];
const REQUEST_ID = /^[0-9a-f-]{36}$/;

function flags(error: LineApiError) {
  return {
    isTransient: error.isTransient,
    isTimeout: error.isTimeout,
    isRateLimit: error.isRateLimit,
    isQuotaExhausted: error.isQuotaExhausted,
    isAuth: error.isAuth,
    isNotFound: error.isNotFound,
    isConflict: error.isConflict,
  };
}

const NONE = { isTransient: false, isTimeout: false, isRateLimit: false, isQuotaExhausted: false, isAuth: false, isNotFound: false, isConflict: false };

describe('LineApiError from LINE’s answers', () => {
  it('400: LINE’s message, its details[] and the request id; nothing to retry', async () => {
    const { user, api } = friendOfNewChannel();
    const error = await failureOf(api.call('push', (c) => c.messaging.pushMessage({ to: user.userId, messages: text('x'.repeat(5001)) })));
    expect(error).toMatchObject({ status: 400, operation: 'push', lineMessage: 'The request body has 1 error(s)' });
    expect(error.details).toEqual([{ message: expect.any(String), property: 'messages[0].text' }]);
    expect(error.requestId).toMatch(REQUEST_ID);
    expect(flags(error)).toEqual(NONE);
    expect(error.message).toContain('LINE push failed with 400');
    expect(error.message).toContain(error.requestId);
  });

  it('401: a token LINE does not accept', async () => {
    const error = await failureOf(lineChannel(config, 'not-a-token').call('bot info', (c) => c.messaging.getBotInfo()));
    expect(error.status).toBe(401);
    expect(error.lineMessage).toMatch(/access token/);
    expect(flags(error)).toEqual({ ...NONE, isAuth: true });
  });

  it('404: a profile LINE does not have', async () => {
    const { api } = friendOfNewChannel();
    const error = await failureOf(api.call('profile', (c) => c.messaging.getProfile(line.createUser().userId)));
    expect(error.status).toBe(404);
    expect(flags(error)).toEqual({ ...NONE, isNotFound: true });
  });

  it('409: a retry key LINE already accepted, with the accepted request id and the original sentMessages', async () => {
    const { user, api } = friendOfNewChannel();
    const key = randomUUID();
    const first = await api.call('push', (c) => c.messaging.pushMessage({ to: user.userId, messages: text('once') }, key));
    const error = await failureOf(api.call('push', (c) => c.messaging.pushMessage({ to: user.userId, messages: text('once') }, key)));
    expect(error.status).toBe(409);
    expect(flags(error)).toEqual({ ...NONE, isConflict: true });
    expect(error.acceptedRequestId).toMatch(REQUEST_ID);
    expect(error.body).toMatchObject({ sentMessages: first.sentMessages });
  });

  it('429 "You have reached your monthly limit.": quota exhausted, not a rate limit to wait out', async () => {
    const { user, api } = friendOfNewChannel({ monthlyQuota: 0 });
    const error = await failureOf(api.call('push', (c) => c.messaging.pushMessage({ to: user.userId, messages: text('over') })));
    expect(error.status).toBe(429);
    expect(flags(error)).toEqual({ ...NONE, isQuotaExhausted: true });
  });

  it('429 rate limit: retryAfterMs when LINE sends Retry-After', async () => {
    const { user, api } = friendOfNewChannel();
    line.faults.inject({ path: `/v2/bot/profile/${user.userId}`, status: 429, headers: { 'retry-after': '7' } });
    const limited = await failureOf(api.call('profile', (c) => c.messaging.getProfile(user.userId)));
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect(flags(limited)).toEqual({ ...NONE, isRateLimit: true });
    line.faults.inject({ path: `/v2/bot/profile/${user.userId}`, status: 429 });
    expect((await failureOf(api.call('profile', (c) => c.messaging.getProfile(user.userId)))).retryAfterMs).toBeUndefined();
  });

  it('5xx: transient', async () => {
    const { user, api } = friendOfNewChannel();
    for (const status of [500, 502, 503]) {
      line.faults.inject({ path: '/v2/bot/message/push', status });
      const error = await failureOf(api.call('push', (c) => c.messaging.pushMessage({ to: user.userId, messages: text('later') })));
      expect(error.status).toBe(status);
      expect(flags(error)).toEqual({ ...NONE, isTransient: true });
    }
  });

  it('an OAuth endpoint’s error_description is LINE’s message', async () => {
    const error = await failureOf(issueStatelessChannelToken(config, { channelId: '1234567890', channelSecret: 'wrong' }));
    expect(error).toMatchObject({ status: 400, operation: 'stateless channel token', lineMessage: 'invalid client_id or client_secret' });
  });
});

describe('LineApiError without an answer', () => {
  it('the deadline passed: status 0, a timeout, transient', async () => {
    const { user, api } = friendOfNewChannel();
    line.faults.inject({ path: `/v2/bot/profile/${user.userId}`, hang: true });
    const error = await failureOf(api.call('profile', (c) => c.messaging.getProfile(user.userId), { timeoutMs: 50 }));
    expect(error).toMatchObject({ status: 0, operation: 'profile', timeoutMs: 50 });
    expect(flags(error)).toEqual({ ...NONE, isTransient: true, isTimeout: true });
    expect(error.message).toContain('LINE profile');
  });

  it('no connection: status 0, transient, with what went wrong', async () => {
    const port = await freePort();
    const unreachable = loadConfig({ LINE_API_BASE_URL: `http://127.0.0.1:${port}` });
    const error = await failureOf(lineChannel(unreachable, 'token').call('bot info', (c) => c.messaging.getBotInfo()));
    expect(error.status).toBe(0);
    expect(error.transportFailure).toBe('fetch failed');
    expect(flags(error)).toEqual({ ...NONE, isTransient: true });
  });

  it('fetch aborted by its own timeout signal or by the caller: status 0, transient', async () => {
    const { api } = friendOfNewChannel();
    line.faults.inject({ path: '/v2/bot/info', hang: true, times: 2 });
    const timedOut = await failureOf(api.call('bot info', () => fetch(`${line.baseUrl}/v2/bot/info`, { signal: AbortSignal.timeout(20) })));
    expect(flags(timedOut)).toEqual({ ...NONE, isTransient: true, isTimeout: true });
    const controller = new AbortController();
    const aborted = api.call('bot info', () => fetch(`${line.baseUrl}/v2/bot/info`, { signal: controller.signal }));
    controller.abort();
    expect(flags(await failureOf(aborted))).toEqual({ ...NONE, isTransient: true });
  });

  it('an error of the caller’s own code is not LINE’s and passes through unchanged', async () => {
    const bug = new TypeError('Cannot read properties of undefined');
    const { api } = friendOfNewChannel();
    await expect(
      api.call('push', () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
  });
});
