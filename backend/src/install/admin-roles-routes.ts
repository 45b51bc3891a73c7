// Which HubSpot roles, besides super admins, may change the app's settings in a portal (the rule lives in
// hubspot/app-admin.ts). Any user of the portal may see the choice; only a super admin may change it, so
// an allowed role can never widen itself.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { badRequest } from '../http/errors.ts';
import { appAdminStatusOf, portalRoles, requireSuperAdmin } from '../hubspot/app-admin.ts';
import type { PortalRole } from '../hubspot/portal-users.ts';
import { saveAdminRoleIds } from '../hubspot/portals.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';

export interface AdminRolesView {
  /** The portal's roles as HubSpot lists them now; `allowed`: its users may change the app's settings. */
  roles: Array<{ id: string; name: string; allowed: boolean }>;
  /** Whether the caller may change the choice (super admins only). */
  canEdit: boolean;
}

const MAX_ROLES = 100;
const adminRolesBody = z.object({ roleIds: z.array(z.string().regex(/^\d{1,20}$/)).max(MAX_ROLES) }).strict();

function adminRolesView(roles: PortalRole[], allowedRoleIds: string[], canEdit: boolean): AdminRolesView {
  return { roles: roles.map((role) => ({ ...role, allowed: allowedRoleIds.includes(role.id) })), canEdit };
}

export function adminRolesRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);

  router.get('/api/portal/admin-roles', ...auth, async (req, res) => {
    const { superAdmin, allowedRoleIds } = await appAdminStatusOf(ctx, req);
    res.json(adminRolesView(await portalRoles(ctx, callerOf(req).portalId), allowedRoleIds, superAdmin));
  });

  router.put('/api/portal/admin-roles', ...auth, requireSuperAdmin(ctx), async (req, res) => {
    const parsed = adminRolesBody.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(`Send {"roleIds": [...]}: ids (digits) of roles of this HubSpot account, at most ${MAX_ROLES}.`);
    const { portalId, userId } = callerOf(req);
    const roles = await portalRoles(ctx, portalId);
    const roleIds = [...new Set(parsed.data.roleIds)];
    const unknown = roleIds.filter((id) => !roles.some((role) => role.id === id));
    if (unknown.length) throw badRequest(`This HubSpot account has no role ${unknown.join(', ')}`);
    await saveAdminRoleIds(ctx.db, portalId, roleIds);
    req.log.info({ portalId, userId, roleIds }, 'roles allowed to change the app settings replaced');
    res.json(adminRolesView(roles, roleIds, true));
  });

  return router;
}
