// The user provisioning API (read side) through the official client and raw HTTP: super admins, users
// with roles, users of other portals, scope enforcement.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, apiError, clientFor, setup } from './test-helpers.ts';
import type { Setup } from './test-helpers.ts';

let s: Setup;
beforeEach(async () => {
  s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
});
afterEach(async () => {
  await s.hs.close();
});

describe('users and roles', () => {
  it('every portal starts with one super admin; users get roles of their own portal', async () => {
    const [admin] = s.portal.users;
    const fetched = await s.client.settings.users.usersApi.getById(String(admin.id));
    expect(fetched).toMatchObject({ id: String(admin.id), email: admin.email, superAdmin: true, roleIds: [] });

    const role = s.portal.addRole({ name: 'LINE managers' });
    const manager = s.portal.addUser({ email: 'manager@example.com', roleIds: [role.id] });
    const rep = s.portal.addUser({ email: 'rep@example.com' });
    expect(await s.client.settings.users.usersApi.getById(String(manager.id))).toMatchObject({ superAdmin: false, roleIds: [role.id], roleId: role.id });
    expect((await api(s.hs, s.token, 'GET', `/settings/users/2026-03/${rep.id}`)).body).toMatchObject({ id: String(rep.id), superAdmin: false, roleIds: [] });
    expect((await api(s.hs, s.token, 'GET', '/settings/v3/users/Manager@example.com?idProperty=EMAIL')).body.id).toBe(String(manager.id));
    expect((await s.client.settings.users.rolesApi.getAll()).results).toEqual([{ id: role.id, name: 'LINE managers', requiresBillingWrite: false }]);
    expect(() => s.portal.addUser({ roleIds: ['404'] })).toThrow(/no role 404/);
  });

  it('a user of another portal is unknown here (404); the same person can be a user of both', async () => {
    const other = s.hs.createPortal();
    const stranger = other.addUser({ superAdmin: true });
    const missing = await apiError(() => s.client.settings.users.usersApi.getById(String(stranger.id)));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(typeof missing.body.correlationId).toBe('string');

    s.portal.addUser({ id: stranger.id, email: stranger.email });
    expect((await s.client.settings.users.usersApi.getById(String(stranger.id))).superAdmin).toBe(false);
    expect((await api(s.hs, s.token, 'GET', '/settings/v3/users/not-a-number')).status).toBe(400);
  });

  it('without settings.users.read: 403 MISSING_SCOPES', async () => {
    const token = s.hs.issueTokens(s.portal.portalId, ['oauth', 'crm.objects.contacts.read']).accessToken;
    const refused = await apiError(() => clientFor(s.hs, token).settings.users.usersApi.getById(String(s.portal.users[0].id)));
    expect(refused.code).toBe(403);
    expect(refused.body).toMatchObject({ category: 'MISSING_SCOPES' });
    expect((await api(s.hs, token, 'GET', '/settings/users/2026-03/roles')).status).toBe(403);
    expect((await api(s.hs, 'not-a-token', 'GET', '/settings/v3/users/roles')).status).toBe(401);
  });
});
