// Listing, editing, LINE Login settings, failed jobs, removal and portal isolation over the real HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOperation } from '../../backend/src/accounts/operations.ts';
import { findAccount } from '../../backend/src/accounts/repository.ts';
import { ensureLinks } from '../../backend/src/contacts/links.ts';
import { insertInboundMessage } from '../../backend/src/conversation/messages.ts';
import { engines } from '../support/databases.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from './world.ts';

describe.each(engines())('managing LINE accounts (%s)', (engine) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(engine);
  });
  afterAll(async () => {
    await w?.stop();
  });

  async function addAccount(portalId = w.portalA) {
    const { channel, form } = w.newChannel();
    const { operation, account } = await w.connect(portalId, form);
    expect(operation.state).toBe('succeeded');
    return { channel, form, account };
  }

  async function checkHealth(portalId = w.portalA) {
    const operation = await w.finish(portalId, await w.call(portalId, 'POST', '/api/accounts/health-checks', {}));
    expect(operation).toMatchObject({ kind: 'health_check', state: 'succeeded' });
    return operation;
  }

  it('lists accounts with their health: token, quota, last event and failed jobs', async () => {
    const { channel, account } = await addAccount();
    w.line.setQuota(channel.channelId, { limit: 1000, used: 250 });
    await w.backend.ctx.db('line_accounts').where({ id: account.id }).update({ last_event_at: 1_700_000_000_000 });
    const [deadId] = await w.backend.ctx.queue.enqueueMany([
      { type: 'test.unhandled', payload: {}, portalId: w.portalA, lineAccountId: account.id },
      { type: 'test.unhandled', payload: {}, portalId: w.portalA, lineAccountId: account.id + 1000 },
    ]);
    await w.backend.ctx.db('jobs').where({ type: 'test.unhandled' }).update({ state: 'dead', last_error: 'HubSpot said no' });

    // The list answers from the database alone: before any health check, token and quota are unknown.
    const lineCallsBefore = w.line.requests.length;
    const unchecked = await w.call(w.portalA, 'GET', '/api/accounts');
    expect(w.line.requests.length).toBe(lineCallsBefore);
    expect(unchecked.body.accounts.find((a: { id: number }) => a.id === account.id).health).toMatchObject({
      tokenValid: null, tokenError: null, quota: null, checkedAt: null, failedJobs: { count: 1 },
    });

    const check = await checkHealth();
    expect(check.progress).toEqual({ done: check.progress.total, total: unchecked.body.accounts.length });
    const res = await w.call(w.portalA, 'GET', '/api/accounts');
    expect(res.status).toBe(200);
    const listed = res.body.accounts.find((a: { id: number }) => a.id === account.id);
    expect(listed.lastEventAt).toBe(1_700_000_000_000);
    expect(listed.health).toMatchObject({
      tokenValid: true,
      tokenError: null,
      quota: { limit: 1000, used: 250, remaining: 750 },
      checkedAt: check.updatedAt,
      failedJobs: { count: 1, recent: [{ id: deadId, type: 'test.unhandled', lastError: 'HubSpot said no' }] },
    });

    // A token revoked in the console shows as invalid, with LINE's reason, from the next check on.
    w.line.channel(channel.channelId).accessToken = 'revoked-in-the-console';
    await checkHealth();
    const after = await w.call(w.portalA, 'GET', `/api/accounts/${account.id}`);
    expect(after.body.account.health.tokenValid).toBe(false);
    expect(after.body.account.health.tokenError).toMatch(/401/);
  });

  it('runs one health check per portal at a time: a second request while LINE is slow answers the running one', async () => {
    await addAccount();
    w.line.faults.inject({ path: '/v2/bot/info', hang: true, times: Infinity });
    const first = await w.call(w.portalA, 'POST', '/api/accounts/health-checks', {});
    const second = await w.call(w.portalA, 'POST', '/api/accounts/health-checks', {});
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.operation.id).toBe(first.body.operation.id);
    expect(second.body.operation).toMatchObject({ state: 'running', step: 'checking_accounts' });
    const done = await w.finish(w.portalA, first);
    w.line.faults.clear();
    // LINE never answered: the check still ends, and shows the tokens as not accepted, with why.
    expect(done.state).toBe('succeeded');
    const listed = (await w.call(w.portalA, 'GET', '/api/accounts')).body.accounts;
    expect(listed.every((a: { health: { tokenValid: boolean } }) => a.health.tokenValid === false)).toBe(true);
  });

  it('an operation whose process stopped midway reads as interrupted once past its deadline, and does not block a new one', async () => {
    // As a process that died during a health check leaves it: running, its deadline passed.
    const stale = await insertOperation(w.backend.ctx, { portalId: w.portalA, lineAccountId: null, kind: 'health_check', step: 'checking_accounts', total: 1, budgetMs: -1 });
    const polled = await w.call(w.portalA, 'GET', `/api/accounts/operations/${stale.id}`);
    expect(polled.body.operation).toMatchObject({ id: stale.id, state: 'failed', step: null, error: { status: 503, code: 'operation_interrupted' } });
    const fresh = await w.call(w.portalA, 'POST', '/api/accounts/health-checks', {});
    expect(fresh.body.operation.id).not.toBe(stale.id);
    expect((await w.finish(w.portalA, fresh)).state).toBe('succeeded');
  });

  it('retries only the failed jobs of the account', async () => {
    const { account } = await addAccount();
    const ids = await w.backend.ctx.queue.enqueueMany([
      { type: 'test.unhandled', payload: {}, portalId: w.portalA, lineAccountId: account.id },
      { type: 'test.unhandled', payload: {}, portalId: w.portalA, lineAccountId: account.id },
      { type: 'test.unhandled', payload: {}, portalId: w.portalA, lineAccountId: account.id + 1 },
    ]);
    await w.backend.ctx.db('jobs').whereIn('id', ids).update({ state: 'dead' });
    const res = await w.call(w.portalA, 'POST', `/api/accounts/${account.id}/retry-failed`);
    expect(res).toMatchObject({ status: 200, body: { retried: 2 } });
    const states = await w.backend.ctx.db('jobs').whereIn('id', ids).orderBy('id').pluck('state');
    expect(states).toEqual(['queued', 'queued', 'dead']);
  });

  it('changes options and refuses unknown or invalid ones with 400, changing nothing', async () => {
    const { account } = await addAccount();
    const res = await w.call(w.portalA, 'PATCH', `/api/accounts/${account.id}`, { autoCreateContacts: false, autoCreateCompanies: true, timelineMode: 'notes' });
    expect(res.status).toBe(200);
    expect(res.body.account.options).toEqual({ autoCreateContacts: false, autoCreateCompanies: true, ownerTasks: true, timelineMode: 'notes' });
    for (const body of [{ timelineMode: 'fax' }, { ownerTasks: 'yes' }, { autoCreateCompanies: 'always' }, { displayName: 'x' }, {}]) {
      expect((await w.call(w.portalA, 'PATCH', `/api/accounts/${account.id}`, body)).status).toBe(400);
    }
    const row = await w.backend.ctx.db('line_accounts').where({ id: account.id }).first();
    expect([Boolean(row.auto_create_contacts), Boolean(row.auto_create_companies), Boolean(row.owner_tasks), row.timeline_mode]).toEqual([false, true, true, 'notes']);
  });

  it('rotates the access token and the secret after checking them with LINE; a wrong one keeps the old', async () => {
    const { channel, account } = await addAccount();
    const oldToken = channel.accessToken;
    channel.accessToken = 'N'.repeat(60); // reissued in the console: the old token stops working
    const patch = (body: object) => w.call(w.portalA, 'PATCH', `/api/accounts/${account.id}`, body).then((accepted) => w.finish(w.portalA, accepted));
    const wrong = await patch({ channelAccessToken: oldToken });
    expect(wrong).toMatchObject({ kind: 'update', state: 'failed', accountId: account.id, error: { status: 422, code: 'invalid_access_token' } });
    const rotated = await patch({ channelAccessToken: channel.accessToken });
    expect(rotated).toMatchObject({ state: 'succeeded', progress: { done: 1, total: 1 } });
    await checkHealth();
    const health = await w.call(w.portalA, 'GET', `/api/accounts/${account.id}`);
    expect(health.body.account.health.tokenValid).toBe(true);

    // Renamed in LINE: the new name reaches the account and, through provisioning, its property labels.
    await w.backend.ctx.db('jobs').where({ type: 'hubspot.provision-properties', portal_id: w.portalA }).delete();
    channel.displayName = 'Renamed Store';
    channel.accessToken = 'M'.repeat(60);
    expect((await patch({ channelAccessToken: channel.accessToken })).state).toBe('succeeded');
    const renamed = await w.call(w.portalA, 'GET', `/api/accounts/${account.id}`);
    expect(renamed.body.account.displayName).toBe('Renamed Store');
    expect(await w.backend.ctx.db('jobs').where({ type: 'hubspot.provision-properties', portal_id: w.portalA, state: 'queued' })).toHaveLength(1);

    channel.channelSecret = 'a'.repeat(32);
    const rotatedSecret = await patch({ channelSecret: channel.channelSecret });
    expect(rotatedSecret).toMatchObject({ state: 'succeeded', progress: { done: 3, total: 3 } });
    const secret = await w.call(w.portalA, 'GET', `/api/accounts/${account.id}`);
    // The webhook test ran again and our endpoint verified LINE's signature with the new secret.
    expect(secret.body.account.webhook.lastTest).toMatchObject({ success: true });
    expect(secret.body.account.webhook.lastTest.testedAt).toBeGreaterThan(account.webhook.lastTest.testedAt - 1);
    expect(JSON.stringify(secret.body)).not.toContain(channel.channelSecret);
  });

  it('checks LINE Login settings with LINE, stores them and validates them (the QR code: test/line-login/qr-code.test.ts)', async () => {
    const { account } = await addAccount();
    w.line.createLoginChannel({ channelId: '2000000001', channelSecret: 'b'.repeat(32), liffIds: ['2000000001-AbCdEfGh'], liffEndpointUrl: account.login.liffEndpointUrl });
    const login = { channelId: '2000000001', channelSecret: 'b'.repeat(32), liffId: '2000000001-AbCdEfGh', redirectUrl: 'https://shop.example.com/thanks', requireEmail: true };
    const saved = await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, login);
    expect(saved.status).toBe(200);
    expect(saved.body.account.login).toMatchObject({ channelId: '2000000001', channelSecretSet: true, liffId: '2000000001-AbCdEfGh', redirectUrl: 'https://shop.example.com/thanks', requireEmail: true });
    expect(saved.body.account.login.sharedUrl).toBe('https://liff.line.me/2000000001-AbCdEfGh');
    expect(saved.body.loginCheck).toEqual({
      credentials: 'verified',
      liff: { liffId: '2000000001-AbCdEfGh', endpointUrl: account.login.liffEndpointUrl, endpointMatches: true, emailScope: true },
    });
    expect(JSON.stringify(saved.body)).not.toContain('b'.repeat(32));

    // LINE refuses a wrong secret and a LIFF app of another channel: 422, nothing stored.
    w.line.createLoginChannel({ channelId: '2000000003', channelSecret: 'd'.repeat(32), liffIds: ['2000000003-ZzYyXxWw'], liffEndpointUrl: 'https://elsewhere.example/liff' });
    const wrongSecret = await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, { ...login, channelSecret: 'e'.repeat(32) });
    expect([wrongSecret.status, wrongSecret.body.error.code]).toEqual([422, 'invalid_login_channel']);
    const otherLiff = await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, { ...login, liffId: '2000000003-ZzYyXxWw' });
    expect([otherLiff.status, otherLiff.body.error.code]).toEqual([422, 'liff_not_in_channel']);
    // A LIFF app whose endpoint is not this account's LIFF page is saved, and the check says so.
    const elsewhere = await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, { channelId: '2000000003', channelSecret: 'd'.repeat(32), liffId: '2000000003-ZzYyXxWw' });
    expect(elsewhere.body.loginCheck.liff).toMatchObject({ endpointUrl: 'https://elsewhere.example/liff', endpointMatches: false });
    await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, login);

    // The same channel again without its secret keeps the secret; a line:// page after login is allowed.
    const kept = await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, { channelId: '2000000001', redirectUrl: 'line://ti/p/@shop', requireEmail: false });
    expect(kept.body.account.login).toMatchObject({ channelSecretSet: true, liffId: null, redirectUrl: 'line://ti/p/@shop', requireEmail: false });
    expect(kept.body.loginCheck).toEqual({ credentials: 'verified', liff: null });
    // A new login channel needs its secret; http pages and malformed LIFF IDs are refused.
    for (const body of [
      { channelId: '2000000002' },
      { ...login, redirectUrl: 'http://shop.example.com' },
      { ...login, redirectUrl: 'javascript:alert(1)' },
      { ...login, liffId: 'not a liff id' },
    ]) {
      expect((await w.call(w.portalA, 'PUT', `/api/accounts/${account.id}/login`, body)).status).toBe(400);
    }
    const row = await w.backend.ctx.db('line_accounts').where({ id: account.id }).first();
    expect(row.login_channel_id).toBe('2000000001');
    expect(row.login_channel_secret).not.toContain('b'.repeat(32));

    const cleared = await w.call(w.portalA, 'DELETE', `/api/accounts/${account.id}/login`);
    expect(cleared.body.account.login).toMatchObject({ channelId: null, channelSecretSet: false, liffId: null, redirectUrl: null });
  });

  it('removes an account with its links, messages and jobs, and frees its property sequence', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const first = await addAccount(portalId);
    const second = await addAccount(portalId);
    expect([first.account.sequence, second.account.sequence]).toEqual([1, 2]);
    const db = w.backend.ctx.db;
    const now = Date.now();
    const stored = (await findAccount(w.backend.ctx, portalId, first.account.id))!;
    await ensureLinks(w.backend.ctx, stored, ['U' + '1'.repeat(32)]);
    await insertInboundMessage(w.backend.ctx, {
      portalId, accountId: first.account.id, lineUserId: 'U' + '1'.repeat(32), type: 'text', text: 'hi', payload: '{}',
      lineMessageId: '1', quoteToken: null, markAsReadToken: null, webhookEventId: null, createdAt: now,
    });
    const [queued, dead, kept] = await w.backend.ctx.queue.enqueueMany([
      { type: 'test.unhandled', payload: {}, portalId, lineAccountId: first.account.id },
      { type: 'test.unhandled', payload: {}, portalId, lineAccountId: first.account.id },
      { type: 'test.unhandled', payload: {}, portalId, lineAccountId: second.account.id },
    ]);
    await db('jobs').where({ id: dead }).update({ state: 'dead' });

    const removed = await w.call(portalId, 'DELETE', `/api/accounts/${first.account.id}`);
    expect(removed).toMatchObject({ status: 200, body: { removed: { id: first.account.id } } });
    expect(await db('line_accounts').where({ id: first.account.id })).toHaveLength(0);
    expect(await db('line_links').where({ line_account_id: first.account.id })).toHaveLength(0);
    expect(await db('messages').where({ line_account_id: first.account.id })).toHaveLength(0);
    expect(await db('jobs').whereIn('id', [queued, dead]).pluck('id')).toEqual([]);
    expect(await db('jobs').where({ id: kept }).pluck('id')).toEqual([kept]);
    expect((await w.call(portalId, 'DELETE', `/api/accounts/${first.account.id}`)).status).toBe(404);

    // The freed sequence 1 (plain property names) goes to the next account added.
    const third = await addAccount(portalId);
    expect(third.account.sequence).toBe(1);
  });

  it('keeps portals apart: portal B can neither see, edit nor remove an account of portal A', async () => {
    const { account } = await addAccount(w.portalA);
    const listB = await w.call(w.portalB, 'GET', '/api/accounts');
    expect(listB.body.accounts.map((a: { id: number }) => a.id)).not.toContain(account.id);
    expect((await w.call(w.portalB, 'GET', `/api/accounts/${account.id}`)).status).toBe(404);
    expect((await w.call(w.portalB, 'PATCH', `/api/accounts/${account.id}`, { ownerTasks: false })).status).toBe(404);
    expect((await w.call(w.portalB, 'PUT', `/api/accounts/${account.id}/login`, { channelId: '2000000009', channelSecret: 'c'.repeat(32) })).status).toBe(404);
    expect((await w.call(w.portalB, 'POST', `/api/accounts/${account.id}/retry-failed`)).status).toBe(404);
    expect((await w.call(w.portalB, 'POST', `/api/accounts/${account.id}/webhook-test`)).status).toBe(404);
    expect((await w.call(w.portalB, 'DELETE', `/api/accounts/${account.id}`)).status).toBe(404);
    // Operations too: portal B cannot read portal A's, and its health check covers only its own accounts.
    const test = await w.call(w.portalA, 'POST', `/api/accounts/${account.id}/webhook-test`);
    expect((await w.call(w.portalB, 'GET', `/api/accounts/operations/${test.body.operation.id}`)).status).toBe(404);
    expect((await w.call(w.portalA, 'GET', '/api/accounts/operations/not-an-operation-id')).status).toBe(400);
    await w.finish(w.portalA, test);
    const checkB = await w.finish(w.portalB, await w.call(w.portalB, 'POST', '/api/accounts/health-checks', {}));
    expect(checkB.progress.total).toBe(listB.body.accounts.length);
    const row = await w.backend.ctx.db('line_accounts').where({ id: account.id }).first();
    expect([row.portal_id, Boolean(row.owner_tasks), row.login_channel_id]).toEqual([w.portalA, true, null]);
  });

  it('answers unsigned calls 401 and portals that have not installed the app 403', async () => {
    expect((await fetch(`${w.backend.url}/api/accounts?portalId=${w.portalA}`)).status).toBe(401);
    const stranger = w.hubspot.createPortal();
    const res = await w.call(stranger.portalId, 'GET', '/api/accounts');
    expect(res.status).toBe(403);
  });

  it('never writes a channel secret or access token to the logs', () => {
    const text = w.backend.logText();
    for (const channel of w.channels) {
      expect(text).not.toContain(channel.channelSecret);
      expect(text).not.toContain(channel.accessToken);
    }
    expect(text).not.toContain('b'.repeat(32));
  });
});

describe('the webhook test when nothing answers at /line/webhook/:key yet', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('sqlite', { webhookReceiver: false });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('still connects the account, records the failed test and shows the URL to paste by hand; "test again" sets the URL back', async () => {
    const { channel, form } = w.newChannel();
    const { operation, account } = await w.connect(w.portalA, form);
    expect(operation.state).toBe('succeeded');
    const { webhook } = account;
    expect(webhook.verifiedAt).toBeNull();
    expect(webhook.lastTest).toMatchObject({ success: false, statusCode: 404 });
    expect(w.line.channel(channel.channelId).webhookUrl).toBe(webhook.url);
    const row = await w.backend.ctx.db('line_accounts').where({ id: account.id }).first();
    expect(row.webhook_verified_at).toBeNull();
    expect(JSON.parse(row.webhook_test_result)).toMatchObject({ success: false, statusCode: 404 });

    // Someone pointed the webhook elsewhere in the console; "test again" puts it back and tests it.
    w.line.channel(channel.channelId).webhookUrl = 'https://elsewhere.example.com/hook';
    const test = await w.finish(w.portalA, await w.call(w.portalA, 'POST', `/api/accounts/${account.id}/webhook-test`));
    expect(test).toMatchObject({ kind: 'webhook_test', state: 'succeeded', accountId: account.id, progress: { done: 2, total: 2 } });
    expect(w.line.channel(channel.channelId).webhookUrl).toBe(webhook.url);
    const again = await w.call(w.portalA, 'GET', `/api/accounts/${account.id}`);
    expect(again.body.account.webhook.lastTest).toMatchObject({ success: false, statusCode: 404 });
  });
});
