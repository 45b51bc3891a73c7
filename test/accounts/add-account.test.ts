// Adding LINE accounts over the real HTTP API (signed hubspot.fetch), on every storage engine: the POST
// answers 202 with an operation at once, and the page polls it while LINE checks the credentials and tests
// the webhook, so no request waits longer than hubspot.fetch allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from './world.ts';

describe.each(engines())('adding a LINE account (%s)', (engine) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(engine);
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('verifies the credentials with LINE, stores the account with sealed secrets and sets up its webhook', async () => {
    const { channel, form } = w.newChannel({ displayName: 'Tokyo Store' });
    const accepted = await w.call(w.portalA, 'POST', '/api/accounts', form);
    expect(accepted.status).toBe(202);
    expect(accepted.body.operation).toMatchObject({ kind: 'connect', state: 'running', step: 'checking_credentials', progress: { done: 0, total: 3 }, error: null });
    const operation = await w.finish(w.portalA, accepted);
    expect(operation).toMatchObject({ kind: 'connect', state: 'succeeded', step: null, progress: { done: 3, total: 3 }, accountId: expect.any(Number), error: null });
    const res = await w.call(w.portalA, 'GET', `/api/accounts/${operation.accountId}`);
    const account = res.body.account;
    expect(account).toMatchObject({
      sequence: 1,
      userIdProperty: 'line_user_id',
      channelId: channel.channelId,
      botUserId: channel.botUserId,
      basicId: channel.basicId,
      displayName: 'Tokyo Store',
      channelSecretSet: true,
      channelAccessTokenSet: true,
      options: { autoCreateContacts: true, autoCreateCompanies: false, ownerTasks: true, timelineMode: 'app_events' },
    });
    // LINE now sends this channel's webhooks to us, and its test reached our endpoint signed with the stored secret.
    expect(account.webhook.url).toMatch(new RegExp(`^${w.backend.config.PUBLIC_BASE_URL}/line/webhook/[A-Za-z0-9_-]{32}$`));
    expect(w.line.channel(channel.channelId).webhookUrl).toBe(account.webhook.url);
    expect(account.webhook.lastTest).toMatchObject({ success: true, statusCode: 200 });
    expect(account.webhook.verifiedAt).toEqual(expect.any(Number));
    expect(w.line.webhooks.at(-1)).toMatchObject({ url: account.webhook.url, status: 200 });
    // LINE Login URLs to register in the console, all on the account's own key.
    const loginKey = account.login.loginUrl.split('/').pop();
    expect(loginKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(account.login).toMatchObject({
      loginUrl: `${w.backend.config.PUBLIC_BASE_URL}/line/login/${loginKey}`,
      callbackUrl: `${w.backend.config.PUBLIC_BASE_URL}/line/login/${loginKey}/callback`,
      liffEndpointUrl: `${w.backend.config.PUBLIC_BASE_URL}/line/login/${loginKey}/liff`,
      qrCodeUrl: `${w.backend.config.PUBLIC_BASE_URL}/line/login/${loginKey}/qr.png`,
      channelId: null,
      channelSecretSet: false,
    });

    // The secrets are never returned and are stored only sealed.
    const json = JSON.stringify([accepted.body, operation, res.body]);
    expect(json).not.toContain(channel.channelSecret);
    expect(json).not.toContain(channel.accessToken);
    const row = await w.backend.ctx.db('line_accounts').where({ id: account.id }).first();
    expect(row.portal_id).toBe(w.portalA);
    expect(row.channel_secret).not.toContain(channel.channelSecret);
    expect(row.channel_access_token).not.toContain(channel.accessToken);
    expect(row.webhook_key).not.toBe(row.login_key);

    // Its contact properties are requested from the install feature's provisioning job.
    const jobs = await w.backend.ctx.db('jobs').where({ type: 'hubspot.provision-properties', portal_id: w.portalA });
    expect(jobs.map((j: { payload: string }) => JSON.parse(j.payload))).toContainEqual({ portalId: w.portalA });
  });

  it('refuses a wrong channel secret with a clear 422 and stores nothing', async () => {
    const { channel, form } = w.newChannel();
    const { operation } = await w.connect(w.portalA, { ...form, channelSecret: 'f'.repeat(32) });
    expect(operation).toMatchObject({ state: 'failed', accountId: null, error: { status: 422, code: 'invalid_channel_secret' } });
    expect(operation.error?.message).toMatch(/channel ID and channel secret/);
    expect(await w.backend.ctx.db('line_accounts').where({ channel_id: channel.channelId })).toHaveLength(0);
    expect(w.line.channel(channel.channelId).webhookUrl).toBeNull();
  });

  it('refuses a wrong access token, and a token of another channel, and stores nothing', async () => {
    const { channel, form } = w.newChannel();
    const other = w.newChannel();
    const wrong = await w.connect(w.portalA, { ...form, channelAccessToken: 'x'.repeat(40) });
    expect(wrong.operation.error).toMatchObject({ status: 422, code: 'invalid_access_token' });
    const foreign = await w.connect(w.portalA, { ...form, channelAccessToken: other.form.channelAccessToken });
    expect(foreign.operation.error).toMatchObject({ status: 422, code: 'token_of_another_channel' });
    expect(await w.backend.ctx.db('line_accounts').whereIn('channel_id', [channel.channelId, other.channel.channelId])).toHaveLength(0);
    expect(w.line.channel(channel.channelId).webhookUrl).toBeNull();
  });

  it('answers malformed input with a 400 naming each field, without calling LINE', async () => {
    const before = w.line.requests.length;
    const res = await w.call(w.portalA, 'POST', '/api/accounts', { channelId: 'abc', channelSecret: 'short', extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['channelId', 'channelSecret', 'channelAccessToken']));
    expect(w.line.requests.length).toBe(before);
  });

  it('answers 502 and stores nothing when LINE cannot be reached', async () => {
    const { channel, form } = w.newChannel();
    w.line.faults.inject({ path: '/v2/bot/info', status: 500, times: 4 });
    const { operation } = await w.connect(w.portalA, form);
    w.line.faults.clear();
    expect(operation).toMatchObject({ state: 'failed', error: { status: 502, code: 'line_unavailable' } });
    expect(await w.backend.ctx.db('line_accounts').where({ channel_id: channel.channelId })).toHaveLength(0);
  });

  it('answers at once while LINE does not: the operation runs on and ends failed when LINE never answers, storing nothing', async () => {
    const { channel, form } = w.newChannel();
    w.line.faults.inject({ path: '/oauth2/v3/token', hang: true });
    const accepted = await w.call(w.portalA, 'POST', '/api/accounts', form);
    // The answer came while LINE still held the credential check: it cannot have waited for LINE.
    expect(accepted.status).toBe(202);
    expect(accepted.body.operation).toMatchObject({ state: 'running', step: 'checking_credentials' });
    const operation = await w.finish(w.portalA, accepted);
    w.line.faults.clear();
    expect(operation).toMatchObject({ state: 'failed', accountId: null, error: { status: 502, code: 'line_unavailable' } });
    expect(await w.backend.ctx.db('line_accounts').where({ channel_id: channel.channelId })).toHaveLength(0);
  });

  it('refuses a channel already connected, to this portal or another one (409), without touching its webhook', async () => {
    const { channel, form } = w.newChannel();
    expect((await w.connect(w.portalA, form)).operation.state).toBe('succeeded');
    const webhookBefore = w.line.channel(channel.channelId).webhookUrl;
    const again = await w.connect(w.portalA, form);
    expect(again.operation.error).toMatchObject({ status: 409, code: 'channel_connected_here', message: expect.stringMatching(/already connected to this HubSpot account/) });
    const elsewhere = await w.connect(w.portalB, form);
    expect(elsewhere.operation.error).toMatchObject({ status: 409, code: 'channel_connected_elsewhere', message: expect.stringMatching(/already connected to another HubSpot account/) });
    expect(w.line.channel(channel.channelId).webhookUrl).toBe(webhookBefore);
    expect(await w.backend.ctx.db('line_accounts').where({ channel_id: channel.channelId })).toHaveLength(1);
  });

  it('gives each of 30 accounts added concurrently its own lowest free property sequence', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    const forms = Array.from({ length: 30 }, () => w.newChannel().form);
    // hubspot.fetch allows 20 requests in flight per portal; 10 at a time keeps the adds truly concurrent.
    for (let i = 0; i < forms.length; i += 10) {
      const results = await Promise.all(forms.slice(i, i + 10).map((form) => w.connect(portalId, form)));
      expect(results.map((r) => r.operation.error?.code ?? r.operation.state)).toEqual(Array(results.length).fill('succeeded'));
    }
    const rows = await w.backend.ctx.db('line_accounts').where({ portal_id: portalId }).orderBy('sequence');
    expect(rows.map((r: { sequence: number }) => Number(r.sequence))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const list = await w.call(portalId, 'GET', '/api/accounts');
    expect(list.body.accounts.map((a: { userIdProperty: string }) => a.userIdProperty).slice(0, 3)).toEqual(['line_user_id', 'line_user_id_2', 'line_user_id_3']);
  });

  it('never writes a channel secret or access token to the logs', async () => {
    const text = w.backend.logText();
    expect(w.channels.length).toBeGreaterThan(30);
    for (const channel of w.channels) {
      expect(text).not.toContain(channel.channelSecret);
      expect(text).not.toContain(channel.accessToken);
    }
  });
});
