// hubspotFor(ctx, portalId).call(...): tokens, refresh, retries and typed errors, against the HubSpot emulator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../backend/src/context.ts';
import { PermanentJobError, RetryJobError } from '../../backend/src/jobs/job-errors.ts';
import { ensureOk, HubSpotApiError, hubspotFor, jobErrorFor, PortalNotInstalledError } from '../../backend/src/hubspot/portal-client.ts';
import { tokenSecretContext } from '../../backend/src/hubspot/portals.ts';
import { UNINSTALL_GRACE_MS } from '../../backend/src/hubspot/portal-refused.ts';
import { eraseRefusedPortalJob } from '../../backend/src/install/erase-refused-portal-job.ts';
import { startTestBackend, type TestBackend } from '../support/backend.ts';
import { engines } from '../support/databases.ts';
import { installThroughBrowser, startWorld, type World } from '../install/harness.ts';

const listContacts = (ctx: AppContext, portalId: number) =>
  hubspotFor(ctx, portalId).then((hs) => hs.call('contacts.list', (client) => client.crm.contacts.basicApi.getPage(10)));

describe.each(engines())('HubSpot portal client on %s', (engine) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(engine);
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(() => {
    world.hubspot.faults.clear();
    world.hubspot.limits.set({ dailyLimit: undefined });
  });

  async function installed(): Promise<number> {
    const portalId = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portalId);
    return portalId;
  }
  const refreshCalls = () => world.hubspot.calls.filter((c) => c.path === '/oauth/v3/token').length;
  const callsTo = (path: string, portalId: number) => world.hubspot.calls.filter((c) => c.path === path && c.portalId === portalId).length;
  const storedToken = async (portalId: number) => {
    const row = await world.ctx.db('portals').where({ portal_id: portalId }).first();
    return { token: world.ctx.secrets.open(row.access_token, tokenSecretContext(portalId, 'access_token')), expiresAt: Number(row.access_token_expires_at), row };
  };
  const expireSoon = (portalId: number, inMs = 60_000) => world.ctx.db('portals').where({ portal_id: portalId }).update({ access_token_expires_at: Date.now() + inMs });

  it('gives the official client with the portal\'s token, pointed at the configured HubSpot', async () => {
    const portalId = await installed();
    world.hubspot.portal(portalId).createObject('contacts', { email: 'a@example.com' });
    const page = await listContacts(world.ctx, portalId);
    expect(page.results.map((c) => c.properties.email)).toEqual(['a@example.com']);
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(1);
  });

  it('refreshes a token with less than 5 minutes left, stores it sealed, and concurrent callers share one refresh', async () => {
    const portalId = await installed();
    const before = await storedToken(portalId);
    await expireSoon(portalId);
    const refreshesBefore = refreshCalls();
    await Promise.all(Array.from({ length: 10 }, () => listContacts(world.ctx, portalId)));
    expect(refreshCalls() - refreshesBefore).toBe(1);
    const after = await storedToken(portalId);
    expect(after.token).not.toBe(before.token);
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);
    expect(after.row.access_token).not.toContain(after.token);
    expect(world.backend.logText()).not.toContain(after.token);
    // A fresh token is not refreshed again.
    await listContacts(world.ctx, portalId);
    expect(refreshCalls() - refreshesBefore).toBe(1);
  });

  it('a 401 on a token HubSpot revoked is answered by one refresh and a retry', async () => {
    const portalId = await installed();
    const { token } = await storedToken(portalId);
    world.hubspot.state.accessTokens.get(token)!.revoked = true;
    const refreshesBefore = refreshCalls();
    await listContacts(world.ctx, portalId);
    expect(refreshCalls() - refreshesBefore).toBe(1);
    expect((await storedToken(portalId)).token).not.toBe(token);
  });

  it('a refresh refused for good (uninstalled in HubSpot): portal needs_reinstall, jobs paused, erase scheduled after the grace period', async () => {
    const portalId = await installed();
    world.hubspot.uninstall(portalId);
    const error = await listContacts(world.ctx, portalId).catch((e) => e);
    expect(error).toBeInstanceOf(PortalNotInstalledError);
    expect(error.reason).toBe('needs_reinstall');

    const row = await world.ctx.db('portals').where({ portal_id: portalId }).first();
    expect(row.status).toBe('needs_reinstall');
    expect(row.status_reason).toContain('BAD_REFRESH_TOKEN');
    const pause = await world.ctx.db('job_pauses').where({ portal_id: portalId }).first();
    expect(Number(pause.paused_until)).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    const erase = await world.ctx.db('jobs').where({ type: eraseRefusedPortalJob.type }).andWhere('payload', 'like', `%${portalId}%`).first();
    expect(erase.portal_id).toBeNull();
    expect(Number(erase.run_at)).toBeGreaterThan(Date.now() + UNINSTALL_GRACE_MS - 60_000);

    // Afterwards no more refresh attempts: the portal is known to need a reinstall.
    const refreshesBefore = refreshCalls();
    await expect(hubspotFor(world.ctx, portalId)).rejects.toBeInstanceOf(PortalNotInstalledError);
    expect(refreshCalls()).toBe(refreshesBefore);
    const jobError = jobErrorFor(error);
    expect(jobError).toBeInstanceOf(RetryJobError);
    expect((jobError as RetryJobError).countAttempt).toBe(false);
  });

  it('429 TEN_SECONDLY_ROLLING with Retry-After: waits and retries; past the attempts it throws a typed error', async () => {
    const portalId = await installed();
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', status: 429, times: 1, headers: { 'Retry-After': '1' }, portalId });
    await listContacts(world.ctx, portalId);
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(2);

    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', status: 429, times: 5, headers: { 'Retry-After': '1' }, portalId });
    const error = await listContacts(world.ctx, portalId).catch((e) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 429, policyName: 'TEN_SECONDLY_ROLLING', retryAfterMs: 1000, operation: 'contacts.list', category: 'RATE_LIMITS' });
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(2 + 3);
    const jobError = jobErrorFor(error) as RetryJobError;
    expect(jobError).toBeInstanceOf(RetryJobError);
    expect(jobError).toMatchObject({ delayMs: 1000, countAttempt: false });
  });

  it('a 429 asking for a long wait is not waited out in-process: it throws at once for the job to come back later', async () => {
    const portalId = await installed();
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', status: 429, times: 1, headers: { 'Retry-After': '30' }, portalId });
    const error = await listContacts(world.ctx, portalId).catch((e) => e);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(1);
  });

  it('429 DAILY: the portal\'s jobs are paused until the limit resets, and the error is thrown', async () => {
    const portalId = await installed();
    world.hubspot.limits.set({ dailyLimit: 0 });
    const error = await listContacts(world.ctx, portalId).catch((e) => e);
    expect(error).toMatchObject({ status: 429, policyName: 'DAILY' });
    const pause = await world.ctx.db('job_pauses').where({ portal_id: portalId }).first();
    const nextUtcDay = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    expect(Math.abs(Number(pause.paused_until) - nextUtcDay)).toBeLessThan(5_000);
    expect(pause.reason).toContain('DAILY');
    expect(jobErrorFor(error)).toMatchObject({ countAttempt: false });
  });

  it('after a DAILY 429, the next call for that portal fails at once without calling HubSpot (it never waits until midnight)', async () => {
    const portalId = await installed();
    world.hubspot.limits.set({ dailyLimit: 0 });
    await listContacts(world.ctx, portalId).catch(() => undefined);
    const before = callsTo('/crm/v3/objects/contacts', portalId);
    const second = await listContacts(world.ctx, portalId).catch((e) => e);
    expect(second).toMatchObject({ status: 429, policyName: 'DAILY' });
    expect(second.retryAfterMs).toBeGreaterThan(5_000);
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(before);
    expect(jobErrorFor(second)).toMatchObject({ countAttempt: false, delayMs: second.retryAfterMs });
  });

  it('5xx is retried with backoff (the SDK itself does not retry); after 3 attempts a typed error keeps HubSpot\'s correlation id', async () => {
    const portalId = await installed();
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', status: 502, times: 2, portalId });
    await listContacts(world.ctx, portalId);
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(3);

    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', status: 500, times: 3, portalId });
    const error = await listContacts(world.ctx, portalId).catch((e) => e);
    expect(error).toMatchObject({ status: 500, category: 'INTERNAL_ERROR', operation: 'contacts.list' });
    expect(error.correlationId).toBeTruthy();
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(6);
    const jobError = jobErrorFor(error) as RetryJobError;
    expect(jobError).toBeInstanceOf(RetryJobError);
    expect(jobError.countAttempt).toBe(true);
  });

  it('a create (idempotent: false) is not retried after a 5xx, which may come after HubSpot did the work; 401 and 429 still are', async () => {
    const portalId = await installed();
    const hs = await hubspotFor(world.ctx, portalId);
    const create = () =>
      hs.call('contacts.create', (c) => c.crm.contacts.basicApi.create({ properties: { firstname: 'Once' }, associations: [] }), { idempotent: false });
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts', status: 502, afterProcessing: true, times: 1, portalId });
    const lost = await create().catch((e) => e);
    expect(lost).toMatchObject({ status: 502, operation: 'contacts.create' });
    expect(jobErrorFor(lost)).toBeInstanceOf(RetryJobError);
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(1);
    expect(world.hubspot.portal(portalId).contacts().map((c) => c.properties.firstname)).toEqual(['Once']);

    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts', status: 429, headers: { 'Retry-After': '1' }, times: 1, portalId });
    await create();
    expect(callsTo('/crm/v3/objects/contacts', portalId)).toBe(3);
    expect(world.hubspot.portal(portalId).contacts()).toHaveLength(2);
  });

  it('4xx other than 429 is thrown at once, typed, and is permanent for jobs', async () => {
    const portalId = await installed();
    const hs = await hubspotFor(world.ctx, portalId);
    const notFound = await hs.call('contacts.read', (c) => c.crm.contacts.basicApi.getById('999999999')).catch((e) => e);
    expect(notFound).toMatchObject({ status: 404, category: 'OBJECT_NOT_FOUND', operation: 'contacts.read' });
    expect(callsTo('/crm/v3/objects/contacts/999999999', portalId)).toBe(1);
    expect(jobErrorFor(notFound)).toBeInstanceOf(PermanentJobError);

    const invalid = await hs
      .call('contacts.create', (c) => c.crm.contacts.basicApi.create({ properties: { no_such_property: 'x' }, associations: [] }))
      .catch((e) => e);
    expect(invalid).toMatchObject({ status: 400, category: 'VALIDATION_ERROR' });
    expect(jobErrorFor(invalid)).toBeInstanceOf(PermanentJobError);

    const raw = await hs.call('account.details', async (c) => ensureOk(await c.apiRequest({ path: '/crm/v3/objects/contacts/42' }), 'contacts.read-raw')).catch((e) => e);
    expect(raw).toMatchObject({ status: 404, operation: 'contacts.read-raw', category: 'OBJECT_NOT_FOUND' });
  });

  it('errors of the caller\'s own code pass through unchanged and are not retried', async () => {
    const portalId = await installed();
    const hs = await hubspotFor(world.ctx, portalId);
    let runs = 0;
    const bug = new RangeError('bug in the caller');
    await expect(hs.call('contacts.list', async () => {
      runs++;
      throw bug;
    })).rejects.toBe(bug);
    expect(runs).toBe(1);
    expect(jobErrorFor(bug)).toBe(bug);
  });

  it('a portal that never installed: PortalNotInstalledError, permanent for jobs', async () => {
    const error = await hubspotFor(world.ctx, 987_654_321).catch((e) => e);
    expect(error).toBeInstanceOf(PortalNotInstalledError);
    expect(error.reason).toBe('not_installed');
    expect(jobErrorFor(error)).toBeInstanceOf(PermanentJobError);
  });

  it('no answer at all (connection refused) is retried, then typed as status 0', async () => {
    const portalId = await installed();
    const offline: AppContext = { ...world.ctx, config: { ...world.ctx.config, HUBSPOT_API_BASE_URL: 'http://127.0.0.1:1' } };
    const error = await listContacts(offline, portalId).catch((e) => e);
    expect(error).toMatchObject({ status: 0, category: 'NETWORK', operation: 'contacts.list' });
    expect(jobErrorFor(error)).toBeInstanceOf(RetryJobError);
  });
});

describe.runIf(engines().includes('postgres'))('token refresh across processes on PostgreSQL', () => {
  let world: World;
  let second: TestBackend;
  beforeAll(async () => {
    world = await startWorld('postgres');
    second = await startTestBackend({
      databaseUrl: world.database.url,
      hubspot: { baseUrl: world.hubspot.baseUrl, appBaseUrl: world.hubspot.appBaseUrl, clientId: world.hubspot.clientId, clientSecret: world.hubspot.clientSecret, appId: world.hubspot.appId },
    });
  });
  afterAll(async () => {
    await second?.stop(1000);
    await world?.close();
  });

  it('two backends refreshing the same portal at once make one refresh call; the other waits for the lock and reuses it', async () => {
    const portalId = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portalId);
    await world.ctx.db('portals').where({ portal_id: portalId }).update({ access_token_expires_at: Date.now() + 60_000 });
    // A slow token endpoint keeps the first refresh in flight while the second process asks.
    world.hubspot.faults.inject({ path: '/oauth/v3/token', delayMs: 400, times: 2 });
    const before = world.hubspot.calls.filter((c) => c.path === '/oauth/v3/token').length;
    const [a, b] = await Promise.all([listContacts(world.ctx, portalId), listContacts(second.ctx, portalId)]);
    expect(a.results).toEqual([]);
    expect(b.results).toEqual([]);
    expect(world.hubspot.calls.filter((c) => c.path === '/oauth/v3/token').length - before).toBe(1);
  });
});
