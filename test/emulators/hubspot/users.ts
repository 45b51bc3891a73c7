// User provisioning API, read side: one user (by id or email) and the portal's roles, on the v3 paths and
// the dated 2026-03 paths. It says whether a user is a super admin and which roles they have, never
// their individual permissions.
import { Router } from 'express';
import type { Request } from 'express';
import { requireScope } from './auth.ts';
import { badRequest, notFound } from './errors.ts';
import type { PortalState, PortalUser } from './state.ts';

const USER_SCOPES = ['settings.users.read', 'settings.users.write'];
const BASES = ['/settings/v3/users', '/settings/users/2026-03'];

function serializeUser(u: PortalUser) {
  return {
    id: String(u.id),
    email: u.email,
    ...(u.firstName !== undefined ? { firstName: u.firstName } : {}),
    ...(u.lastName !== undefined ? { lastName: u.lastName } : {}),
    roleIds: u.roleIds,
    ...(u.roleIds.length ? { roleId: u.roleIds[0] } : {}),
    secondaryTeamIds: [],
    superAdmin: u.superAdmin,
    sendWelcomeEmail: false,
  };
}

function findUser(portal: PortalState, req: Request): PortalUser {
  const key = String(req.params.userId);
  const idProperty = String(req.query.idProperty ?? 'USER_ID');
  if (idProperty !== 'USER_ID' && idProperty !== 'EMAIL') throw badRequest(`idProperty must be one of USER_ID, EMAIL; got ${idProperty}`);
  if (idProperty === 'USER_ID' && !/^\d+$/.test(key)) throw badRequest(`Invalid user id: ${key}`);
  const user = portal.users.find((u) => (idProperty === 'EMAIL' ? u.email.toLowerCase() === key.toLowerCase() : String(u.id) === key));
  if (!user) throw notFound(`No user ${key} in this account`, { context: { userId: [key] } });
  return user;
}

export function userRoutes(): Router {
  const r = Router();
  for (const base of BASES) {
    // Before `/:userId`, which would otherwise take "roles" for a user id.
    r.get(`${base}/roles`, (_req, res) => {
      const { portal } = requireScope(res, ...USER_SCOPES);
      res.json({ results: portal.roles.map((role) => ({ ...role })) });
    });
    r.get(`${base}/:userId`, (req, res) => {
      const { portal } = requireScope(res, ...USER_SCOPES);
      res.json(serializeUser(findUser(portal, req)));
    });
  }
  return r;
}
