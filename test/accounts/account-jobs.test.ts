// An account's jobs, as the settings page sees them, made the way production makes them: a LINE user
// writes, HubSpot refuses the contact for good, and the inbound job is dead-lettered. The settings page
// counts it on that account (not on the portal's other account) by what it was for and why it failed,
// retries it only when a retry can succeed, and removing the account removes it. Jobs held by HubSpot's
// daily limit show as waiting, until when.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEventJob } from '../../backend/src/inbound/inbound-event-job.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startInboundWorld, waitUntil, type InboundAccount, type InboundWorld } from '../support/inbound-world.ts';

describe.each(engines())('an account\'s failed jobs (%s)', (engine) => {
  let database: TestDatabase;
  let world: InboundWorld;
  let other: InboundAccount;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await startInboundWorld({ databaseUrl: database.url });
    other = await world.connectAccount();
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  const settings = async (path: string, method = 'GET') => world.hubspot.hubspotFetch(`${world.backend.url}${path}`, { portalId: world.portal.portalId, method }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const listed = async (accountId: number) => (await settings('/api/accounts')).body.accounts.find((a: { id: number }) => a.id === accountId);
  const deadInboundJobs = () => world.ctx.db('jobs').where({ type: inboundEventJob.type, state: 'dead' });
  const deadJobsOf = async (accountId: number) => (await deadInboundJobs().where({ line_account_id: accountId })).length;
  /** Asks LINE about the portal's tokens, as the settings page does when it opens, and waits for the answer. */
  async function checkHealth() {
    let { operation } = (await settings('/api/accounts/health-checks', 'POST')).body;
    while (operation.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      ({ operation } = (await settings(`/api/accounts/operations/${operation.id}`)).body);
    }
    expect(operation.state).toBe('succeeded');
  }

  /** A LINE user writes while HubSpot refuses every contact create (400 unless told): the inbound job can never succeed. */
  async function deadLetteredMessage(account: InboundAccount, refusal: { status: number; body?: object } = { status: 400 }) {
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts/batch/create', ...refusal });
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', method: 'POST', ...refusal });
    const user = world.line.createUser({ displayName: 'Refused Customer' });
    await world.line.sendText(account.channel.channelId, user.userId, 'hello?');
    await waitUntil(async () => (await deadInboundJobs()).length > 0, 'the inbound job to be dead-lettered');
    world.hubspot.faults.clear();
    return user;
  }

  it('a dead-lettered inbound event counts on its own account, carries that account, and is retried from the settings page', async () => {
    const user = await deadLetteredMessage(world.account);
    const [dead] = await deadInboundJobs();
    expect(Number(dead.line_account_id)).toBe(world.account.id);

    const mine = await listed(world.account.id);
    expect(mine.health.failedJobs).toEqual({
      count: 1,
      groups: [{ kind: 'inbound_messages', count: 1, reason: 'hubspot_refused', lastFailedAt: Number(dead.finished_at) }],
      retryBlockedBy: null,
    });
    expect(mine.health.paused).toBeNull();
    expect((await listed(other.id)).health.failedJobs.count).toBe(0);

    expect((await settings(`/api/accounts/${other.id}/retry-failed`, 'POST')).body).toEqual({ retried: 0 });
    expect((await settings(`/api/accounts/${world.account.id}/retry-failed`, 'POST')).body).toEqual({ retried: 1 });
    await world.idle();
    expect(await deadInboundJobs()).toHaveLength(0);
    expect(world.portal.contacts().filter((c) => c.properties.line_user_id === user.userId)).toHaveLength(1);
    expect((await listed(world.account.id)).health.failedJobs.count).toBe(0);
  });

  it('offers no retry while LINE refuses the account\'s token: the retry is refused with 409 and the jobs stay failed', async () => {
    const account = await world.connectAccount();
    await deadLetteredMessage(account);
    const token = world.line.channel(account.channel.channelId).accessToken;
    world.line.channel(account.channel.channelId).accessToken = 'revoked-in-the-console';
    await checkHealth();
    expect((await listed(account.id)).health).toMatchObject({ tokenValid: false, failedJobs: { count: 1, retryBlockedBy: 'line_token' } });

    const refused = await settings(`/api/accounts/${account.id}/retry-failed`, 'POST');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'retry_needs_line_token' } } });
    expect(await deadJobsOf(account.id)).toBe(1);

    world.line.channel(account.channel.channelId).accessToken = token;
    await checkHealth();
    expect((await listed(account.id)).health.failedJobs.retryBlockedBy).toBeNull();
    expect((await settings(`/api/accounts/${account.id}/retry-failed`, 'POST')).body).toEqual({ retried: 1 });
    await world.idle();
  });

  it('removing an account removes its waiting and dead jobs, and only its own', async () => {
    await deadLetteredMessage(other);
    const jobsOf = async (accountId: number) => Number((await world.ctx.db('jobs').where({ line_account_id: accountId }).whereIn('state', ['queued', 'dead']).count({ n: '*' }).first())?.n);
    expect(await jobsOf(other.id)).toBeGreaterThan(0);
    const mineBefore = await world.ctx.db('jobs').where({ line_account_id: world.account.id }).count({ n: '*' }).first();
    expect((await settings(`/api/accounts/${other.id}`, 'DELETE')).status).toBe(200);
    expect(await jobsOf(other.id)).toBe(0);
    expect(await world.ctx.db('jobs').where({ line_account_id: world.account.id }).count({ n: '*' }).first()).toEqual(mineBefore);
  });

  it('offers no retry while HubSpot refuses the app\'s authorization, until the portal reinstalls the app', async () => {
    const account = world.account;
    await deadLetteredMessage(account, { status: 403, body: { status: 'error', category: 'MISSING_SCOPES', message: 'This app has not been granted all required scopes' } });
    expect((await listed(account.id)).health.failedJobs).toMatchObject({
      count: 1, groups: [{ kind: 'inbound_messages', reason: 'hubspot_authorization' }], retryBlockedBy: 'hubspot_authorization',
    });
    const refused = await settings(`/api/accounts/${account.id}/retry-failed`, 'POST');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'retry_needs_reinstall' } } });
    expect(await deadJobsOf(account.id)).toBe(1);

    await installPortal(world.ctx, world.hubspot, { portalId: world.portal.portalId });
    expect((await listed(account.id)).health.failedJobs.retryBlockedBy).toBeNull();
    expect((await settings(`/api/accounts/${account.id}/retry-failed`, 'POST')).body).toEqual({ retried: 1 });
    await world.idle();
  });
});

describe('an account\'s jobs while HubSpot\'s daily API limit holds the portal', () => {
  let database: TestDatabase;
  let world: InboundWorld;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    world = await startInboundWorld({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  it('shows them waiting, until when, and that nothing failed', async () => {
    const other = await world.connectAccount();
    world.hubspot.limits.set({ dailyLimit: 0 });
    const user = world.line.createUser({ displayName: 'Late Customer' });
    await world.line.sendText(world.account.channel.channelId, user.userId, 'are you open?');
    await waitUntil(async () => (await world.ctx.queue.pauseOf(world.portal.portalId)) !== null, 'the portal\'s jobs to be paused');
    const listed = async (accountId: number) => {
      const res = await world.hubspot.hubspotFetch(`${world.backend.url}/api/accounts/${accountId}`, { portalId: world.portal.portalId });
      return (await res.json()).account.health;
    };
    const mine = await listed(world.account.id);
    expect(mine.paused).toMatchObject({ waiting: 1 });
    expect(mine.paused.until).toBeGreaterThan(Date.now());
    expect(mine.failedJobs.count).toBe(0);
    expect((await listed(other.id)).paused).toEqual({ until: mine.paused.until, waiting: 0 });
  });
});
