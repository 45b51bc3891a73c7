// Leaving: an explicit disconnect from the settings page, and an uninstall noticed on HubSpot's side
// (its refresh token refused), with the grace period before the data goes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisionPropertiesJob } from '../../backend/src/accounts/provision-properties-job.ts';
import { enqueueProvisioning } from '../../backend/src/properties/provision-properties.ts';
import { eraseRefusedPortalJob } from '../../backend/src/install/erase-refused-portal-job.ts';
import { checkInstallsJob } from '../../backend/src/install/install-check-job.ts';
import { engines } from '../support/databases.ts';
import { eventually, insertLineAccount, insertLink, insertMessage, installThroughBrowser, jobsSettled, lineUserId, startWorld, type World } from './harness.ts';

describe.each(engines())('disconnect and uninstall on %s', (engine) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(engine);
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(() => world.hubspot.faults.clear());

  async function portalWithData(): Promise<{ portalId: number; accountId: number }> {
    const portalId = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portalId);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, portalId);
    const accountId = await insertLineAccount(world.ctx, portalId, 1);
    const user = lineUserId();
    await insertLink(world.ctx, { portalId, accountId, lineUserId: user, contactId: 42 });
    await insertMessage(world.ctx, { portalId, accountId, lineUserId: user, text: 'hi' });
    return { portalId, accountId };
  }
  const rowsOf = async (portalId: number) => {
    const counts: Record<string, number> = {};
    for (const table of ['portals', 'line_accounts', 'line_links', 'messages', 'jobs']) {
      counts[table] = Number((await world.ctx.db(table).where({ portal_id: portalId }).count({ n: '*' }).first())?.n);
    }
    return counts;
  };
  const disconnect = (portalId: number, body: object = { confirm: true }) =>
    world.hubspot.hubspotFetch(`${world.backend.url}/api/portal/disconnect`, { portalId, method: 'POST', body });

  it('POST /api/portal/disconnect uninstalls at HubSpot, then erases the portal; the other portal keeps everything', async () => {
    const a = await portalWithData();
    const b = await portalWithData();
    const bBefore = await rowsOf(b.portalId);

    const res = await disconnect(a.portalId);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ disconnected: true });
    expect(world.hubspot.calls.some((c) => c.method === 'DELETE' && c.path === '/appinstalls/v3/external-install' && c.portalId === a.portalId && c.status === 204)).toBe(true);
    expect(world.hubspot.portal(a.portalId).installed).toBe(false);
    expect(await rowsOf(a.portalId)).toEqual({ portals: 0, line_accounts: 0, line_links: 0, messages: 0, jobs: 0 });

    expect(world.hubspot.portal(b.portalId).installed).toBe(true);
    expect(await rowsOf(b.portalId)).toEqual(bBefore);
    expect((await world.hubspot.hubspotFetch(`${world.backend.url}/api/portal`, { portalId: b.portalId })).status).toBe(200);
    expect((await world.hubspot.hubspotFetch(`${world.backend.url}/api/portal`, { portalId: a.portalId })).status).toBe(403);
  });

  it('without {"confirm": true}, or when HubSpot does not confirm the uninstall, nothing is deleted', async () => {
    const a = await portalWithData();
    const before = await rowsOf(a.portalId);
    const unconfirmed = await disconnect(a.portalId, {});
    expect(unconfirmed.status).toBe(400);
    expect((await unconfirmed.json()).error.message).toContain('confirm');

    // Our 3 attempts, twice: hubspot.fetch retries once itself on a 5xx.
    world.hubspot.faults.inject({ method: 'DELETE', path: '/appinstalls/v3/external-install', status: 503, times: 6 });
    const failed = await disconnect(a.portalId);
    expect(failed.status).toBe(502);
    expect((await failed.json()).error.code).toBe('hubspot_unavailable');
    expect(world.hubspot.portal(a.portalId).installed).toBe(true);
    expect(await rowsOf(a.portalId)).toEqual(before);
  });

  it('a portal already uninstalled in HubSpot cannot check who disconnects: 403 reinstall_required, the data waits for the grace period', async () => {
    const a = await portalWithData();
    const before = await rowsOf(a.portalId);
    world.hubspot.uninstall(a.portalId);
    const res = await disconnect(a.portalId);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'reinstall_required', message: expect.stringContaining('deleted') });
    expect(await rowsOf(a.portalId)).toMatchObject({ portals: 1, line_accounts: before.line_accounts, line_links: before.line_links, messages: before.messages });
    expect((await world.ctx.db('portals').where({ portal_id: a.portalId }).first()).status).toBe('needs_reinstall');
  });

  it('uninstalled in HubSpot: the next job finds the refresh refused, the portal waits for a reinstall with its jobs paused, then is erased after the grace period', async () => {
    const a = await portalWithData();
    const b = await portalWithData();
    const bBefore = await rowsOf(b.portalId);
    world.hubspot.uninstall(a.portalId);
    await world.ctx.db('portals').where({ portal_id: a.portalId }).update({ access_token_expires_at: Date.now() });
    await enqueueProvisioning(world.ctx, a.portalId);

    const portal = await eventually(async () => {
      const row = await world.ctx.db('portals').where({ portal_id: a.portalId }).first();
      return row.status === 'needs_reinstall' ? row : undefined;
    }, 'the portal to be marked needs_reinstall');
    expect(portal.status_reason).toContain('BAD_REFRESH_TOKEN');
    const job = await eventually(async () => {
      const j = await world.ctx.db('jobs').where({ portal_id: a.portalId, type: provisionPropertiesJob.type, state: 'queued' }).first();
      return j?.last_error ? j : undefined;
    }, 'the provisioning job to be put back');
    expect(job.attempts).toBe(0); // waiting for a reinstall never uses up attempts, so never dead-letters
    expect(await world.ctx.db('job_pauses').where({ portal_id: a.portalId }).first()).toBeDefined();
    expect((await rowsOf(a.portalId)).line_links).toBe(1); // kept during the grace period

    // The grace period ends (brought forward here): the portal is erased, the other one is not touched.
    await world.ctx.db('jobs').where({ type: eraseRefusedPortalJob.type }).andWhere('payload', 'like', `%${a.portalId}%`).update({ run_at: Date.now() });
    await eventually(async () => (await rowsOf(a.portalId)).portals === 0, 'the erase after the grace period');
    expect(await rowsOf(a.portalId)).toEqual({ portals: 0, line_accounts: 0, line_links: 0, messages: 0, jobs: 0 });
    expect(await world.ctx.db('job_pauses').where({ portal_id: a.portalId }).first()).toBeUndefined();
    expect(await rowsOf(b.portalId)).toEqual(bBefore);
  });

  it('a portal uninstalled in HubSpot that makes no HubSpot calls of its own is found by the daily install check', async () => {
    const a = await portalWithData();
    const b = await portalWithData();
    // Every install queues the check for the next UTC midnight, once per day however many portals install.
    const scheduled = await world.ctx.db('jobs').where({ type: checkInstallsJob.type, state: 'queued' });
    expect(scheduled).toHaveLength(1);
    expect(Number(scheduled[0].run_at) % (24 * 3_600_000)).toBe(0);
    world.hubspot.uninstall(a.portalId);

    await world.ctx.db('jobs').where({ id: scheduled[0].id }).update({ run_at: Date.now() });
    await eventually(async () => (await world.ctx.db('jobs').where({ id: scheduled[0].id }).first()).state === 'done', 'the daily check to run');
    const statuses = await world.ctx.db('portals').whereIn('portal_id', [a.portalId, b.portalId]).orderBy('portal_id').pluck('status');
    expect(statuses).toEqual(['needs_reinstall', 'installed']);
    expect(await world.ctx.db('jobs').where({ type: eraseRefusedPortalJob.type }).andWhere('payload', 'like', `%${a.portalId}%`)).toHaveLength(1);
    // The next day's check is queued.
    expect(await world.ctx.db('jobs').where({ type: checkInstallsJob.type, state: 'queued' })).toHaveLength(1);
  });

  it('reinstalling within the grace period keeps the data, resumes the paused jobs, and the scheduled erase does nothing', async () => {
    const a = await portalWithData();
    world.hubspot.uninstall(a.portalId);
    await world.ctx.db('portals').where({ portal_id: a.portalId }).update({ access_token_expires_at: Date.now() });
    await enqueueProvisioning(world.ctx, a.portalId);
    await eventually(async () => (await world.ctx.db('portals').where({ portal_id: a.portalId, status: 'needs_reinstall' }).first()) ?? false, 'needs_reinstall');

    const page = await installThroughBrowser(world, a.portalId);
    expect(page.status).toBe(200);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, a.portalId);
    expect(await world.ctx.db('jobs').where({ portal_id: a.portalId, type: provisionPropertiesJob.type, state: 'dead' }).first()).toBeUndefined();

    const erase = world.ctx.db('jobs').where({ type: eraseRefusedPortalJob.type }).andWhere('payload', 'like', `%${a.portalId}%`);
    await erase.clone().update({ run_at: Date.now() });
    await eventually(async () => (await erase.clone().first())?.state === 'done', 'the scheduled erase to run');
    expect(await rowsOf(a.portalId)).toMatchObject({ portals: 1, line_accounts: 1, line_links: 1, messages: 1 });
  });
});
