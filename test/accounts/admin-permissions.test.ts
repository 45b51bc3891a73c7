// Changing the app's settings needs an admin of the app: a super admin of the HubSpot account, or a user
// with a role a super admin allowed. Checked with HubSpot's users API for the signed user; reads stay open.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../emulators/hubspot/auth.ts';
import type { Portal, PortalUser, Role } from '../emulators/hubspot/index.ts';
import { engines } from '../support/databases.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startWorld, type World } from './world.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

describe.each(engines())('admin actions (%s)', (engine) => {
  let w: World;
  let portal: Portal;
  let accountId: number;
  let managers: Role;
  let rep: PortalUser;
  let manager: PortalUser;

  const superAdminOf = (p: Portal) => p.users.find((u) => u.superAdmin)!;

  async function callAs(user: PortalUser, method: Method, path: string, body?: object, portalId = portal.portalId) {
    const res = await w.hubspot.hubspotFetch(`${w.backend.url}${path}`, { portalId, userId: user.id, userEmail: user.email, method, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** Connects an account as `user` and waits for the operation as the page does; answers the account's id. */
  async function connectAs(user: PortalUser, form: object, portalId = portal.portalId): Promise<number> {
    const accepted = await callAs(user, 'POST', '/api/accounts', form, portalId);
    expect(accepted.status).toBe(202);
    let operation = accepted.body.operation;
    while (operation.state === 'running') operation = (await callAs(user, 'GET', `/api/accounts/operations/${operation.id}`, undefined, portalId)).body.operation;
    expect(operation.state).toBe('succeeded');
    return operation.accountId;
  }

  /** Everything a write could touch, row by row. */
  async function stored(portalId: number) {
    const rows = (table: string) => w.backend.ctx.db(table).where({ portal_id: portalId }).orderBy('id');
    return {
      line_accounts: await rows('line_accounts'),
      portals: await w.backend.ctx.db('portals').where({ portal_id: portalId }),
      jobs: await rows('jobs'),
    };
  }

  /** Every write route of the settings page, with a body that would succeed for an admin. */
  function writes(id: number): Array<[Method, string, object?]> {
    const { form } = w.newChannel();
    return [
      ['POST', '/api/accounts', form],
      ['PATCH', `/api/accounts/${id}`, { autoCreateContacts: false }],
      ['DELETE', `/api/accounts/${id}`],
      ['PUT', `/api/accounts/${id}/login`, { channelId: '2000000001', channelSecret: 'f'.repeat(32) }],
      ['DELETE', `/api/accounts/${id}/login`],
      ['POST', `/api/accounts/${id}/webhook-test`, {}],
      ['POST', `/api/accounts/${id}/retry-failed`, {}],
      ['POST', '/api/accounts/health-checks', {}],
      ['POST', '/api/portal/disconnect', { confirm: true }],
    ];
  }

  const usersApiCalls = (portalId: number, user: PortalUser) =>
    w.hubspot.calls.filter((c) => c.portalId === portalId && c.path === `/settings/v3/users/${user.id}`).length;

  beforeAll(async () => {
    w = await startWorld(engine);
    // The LINE Login channel the login settings writes name: LINE checks it before anything is saved.
    w.line.createLoginChannel({ channelId: '2000000001', channelSecret: 'f'.repeat(32) });
    portal = w.hubspot.portal(w.portalA);
    managers = portal.addRole({ name: 'LINE managers' });
    portal.addRole({ name: 'Sales reps' });
    manager = portal.addUser({ email: 'manager@example.com', roleIds: [managers.id] });
    rep = portal.addUser({ email: 'rep@example.com' });
    accountId = await connectAs(superAdminOf(portal), w.newChannel({ displayName: 'Tokyo Store' }).form);
  });
  afterAll(async () => {
    await w?.stop();
  });
  afterEach(() => w.hubspot.faults.clear());

  it('a user of the portal who is no admin gets 403 admin_required on every write route, and nothing changes', async () => {
    const before = await stored(portal.portalId);
    for (const [method, path, body] of writes(accountId)) {
      const res = await callAs(rep, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.code).toBe('admin_required');
      expect(res.body.error.message).toContain('super admin of this HubSpot account');
    }
    expect(await stored(portal.portalId)).toEqual(before);
    expect(portal.installed).toBe(true);
  });

  it('operations are an admin\'s: another user of the portal cannot read one (403), even knowing its id', async () => {
    const admin = superAdminOf(portal);
    const accepted = await callAs(admin, 'POST', '/api/accounts/health-checks', {});
    expect(accepted.status).toBe(202);
    const polled = await callAs(rep, 'GET', `/api/accounts/operations/${accepted.body.operation.id}`);
    expect([polled.status, polled.body.error.code]).toEqual([403, 'admin_required']);
    let operation = accepted.body.operation;
    while (operation.state === 'running') operation = (await callAs(admin, 'GET', `/api/accounts/operations/${operation.id}`)).body.operation;
  });

  it('reads stay open to every user of the portal', async () => {
    expect((await callAs(rep, 'GET', '/api/accounts')).body.accounts.map((a: { id: number }) => a.id)).toEqual([accountId]);
    expect((await callAs(rep, 'GET', `/api/accounts/${accountId}`)).status).toBe(200);
    expect((await callAs(rep, 'GET', '/api/portal')).status).toBe(200);
    const roles = await callAs(rep, 'GET', '/api/portal/admin-roles');
    expect(roles.status).toBe(200);
    expect(roles.body.canEdit).toBe(false);
  });

  it('a super admin may do every write', async () => {
    const admin = superAdminOf(portal);
    const id = await connectAs(admin, w.newChannel({ displayName: 'Osaka Store' }).form);
    const steps: Array<[Method, string, object | undefined, number]> = [
      ['PATCH', `/api/accounts/${id}`, { autoCreateContacts: false }, 200],
      ['PUT', `/api/accounts/${id}/login`, { channelId: '2000000001', channelSecret: 'f'.repeat(32) }, 200],
      ['DELETE', `/api/accounts/${id}/login`, undefined, 200],
      ['POST', `/api/accounts/${id}/webhook-test`, {}, 202],
      ['POST', `/api/accounts/${id}/retry-failed`, {}, 200],
      ['POST', '/api/accounts/health-checks', {}, 202],
    ];
    for (const [method, path, body, status] of steps) {
      const res = await callAs(admin, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, status]);
      let operation = res.body.operation;
      while (operation?.state === 'running') operation = (await callAs(admin, 'GET', `/api/accounts/operations/${operation.id}`)).body.operation;
    }
    expect((await callAs(admin, 'DELETE', `/api/accounts/${id}`)).status).toBe(200);
    expect(await w.backend.ctx.db('line_accounts').where({ id }).first()).toBeUndefined();

    const { portalId } = await installPortal(w.backend.ctx, w.hubspot);
    expect((await callAs(superAdminOf(w.hubspot.portal(portalId)), 'POST', '/api/portal/disconnect', { confirm: true }, portalId)).status).toBe(200);
    expect(await w.backend.ctx.db('portals').where({ portal_id: portalId }).first()).toBeUndefined();
  });

  it('a user whose role a super admin allowed may change settings, but not which roles are allowed', async () => {
    const admin = superAdminOf(portal);
    expect((await callAs(manager, 'PATCH', `/api/accounts/${accountId}`, { ownerTasks: false })).status).toBe(403);

    const allowed = await callAs(admin, 'PUT', '/api/portal/admin-roles', { roleIds: [managers.id] });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({
      roles: [
        { id: managers.id, name: 'LINE managers', allowed: true },
        { id: portal.roles[1].id, name: 'Sales reps', allowed: false },
      ],
      canEdit: true,
    });
    const patched = await callAs(manager, 'PATCH', `/api/accounts/${accountId}`, { ownerTasks: false });
    expect(patched.status).toBe(200);
    expect(patched.body.account.options.ownerTasks).toBe(false);

    const widen = await callAs(manager, 'PUT', '/api/portal/admin-roles', { roleIds: [managers.id, portal.roles[1].id] });
    expect(widen.status).toBe(403);
    expect(widen.body.error.code).toBe('super_admin_required');
    expect((await callAs(manager, 'GET', '/api/portal/admin-roles')).body.canEdit).toBe(false);

    expect((await callAs(admin, 'PUT', '/api/portal/admin-roles', { roleIds: [] })).status).toBe(200);
    const refused = await callAs(manager, 'PATCH', `/api/accounts/${accountId}`, { ownerTasks: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('admin_required');
  });

  it('the allowed roles must be roles of this HubSpot account; bad input changes nothing', async () => {
    const admin = superAdminOf(portal);
    const before = await stored(portal.portalId);
    for (const body of [{ roleIds: ['424242'] }, { roleIds: 'all' }, { roleIds: ['1 OR 1=1'] }, { roleIds: [], portalId: w.portalB }, {}]) {
      const res = await callAs(admin, 'PUT', '/api/portal/admin-roles', body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect(await stored(portal.portalId)).toEqual(before);
  });

  it('a user of another portal signed in for this one gets 403, and nothing changes', async () => {
    const stranger = superAdminOf(w.hubspot.portal(w.portalB));
    const before = await stored(portal.portalId);
    for (const [method, path, body] of writes(accountId)) {
      const res = await callAs(stranger, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.message).toContain('not know user');
    }
    expect(await stored(portal.portalId)).toEqual(before);
  });

  it('what HubSpot said about a user in one portal never stands for another portal', async () => {
    const other = w.hubspot.portal(w.portalB);
    const person = portal.addUser({ email: 'both@example.com', superAdmin: true });
    other.addUser({ id: person.id, email: person.email });
    const theirId = await connectAs(superAdminOf(other), w.newChannel().form, other.portalId);

    expect((await callAs(person, 'PATCH', `/api/accounts/${accountId}`, { autoCreateContacts: true })).status).toBe(200);
    expect((await callAs(person, 'PATCH', `/api/accounts/${accountId}`, { autoCreateContacts: false })).status).toBe(200);
    expect(usersApiCalls(portal.portalId, person)).toBe(1);

    const before = await stored(other.portalId);
    const there = await callAs(person, 'PATCH', `/api/accounts/${theirId}`, { autoCreateContacts: false }, other.portalId);
    expect(there.status).toBe(403);
    expect(there.body.error.code).toBe('admin_required');
    expect(usersApiCalls(other.portalId, person)).toBe(1);
    expect(await stored(other.portalId)).toEqual(before);
  });

  it('when HubSpot fails, 503 and nothing changes; the failure is not remembered', async () => {
    const admin = portal.addUser({ superAdmin: true });
    w.hubspot.faults.inject({ method: 'GET', path: `/settings/v3/users/${admin.id}`, status: 502 });
    const before = await stored(portal.portalId);
    const res = await callAs(admin, 'DELETE', `/api/accounts/${accountId}/login`);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'hubspot_unavailable', message: expect.stringContaining('nothing was changed') });
    expect(await stored(portal.portalId)).toEqual(before);

    w.hubspot.faults.clear();
    expect((await callAs(admin, 'DELETE', `/api/accounts/${accountId}/login`)).status).toBe(200);
  });

  it('a portal installed before the users scope existed: 403 reinstall_required, reads still work', async () => {
    const { portalId } = await installPortal(w.backend.ctx, w.hubspot, { scopes: ALL_SCOPES.filter((s) => s !== 'settings.users.read') });
    const old = w.hubspot.portal(portalId);
    const before = await stored(portalId);
    const res = await callAs(superAdminOf(old), 'POST', '/api/accounts', w.newChannel().form, portalId);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'reinstall_required', message: expect.stringContaining('Reinstall the app') });
    expect(await stored(portalId)).toEqual(before);
    expect((await callAs(superAdminOf(old), 'GET', '/api/accounts', undefined, portalId)).status).toBe(200);
  });
});
