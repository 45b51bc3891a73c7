// Who may change the app's settings in a portal: connect, edit and remove LINE accounts and their LINE
// Login settings, disconnect the portal. Reading and chatting stay open to every user of the portal.
//
// The rule: HubSpot's users API says only whether a user is a super admin and which roles they have, not
// their individual permissions (such as "App Marketplace access"). So super admins always qualify, and
// other users only when one of their roles is among the roles a super admin of that portal allowed on the
// settings page (portals.admin_role_ids; empty by default, so only super admins until someone decides).
// The user is the signed userId of the hubspot.fetch call, checked with the portal's own OAuth client.
// Anything short of HubSpot's clear answer refuses: a failed check never grants.
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { forbidden, HttpError } from '../http/errors.ts';
import { UNINSTALL_GRACE_MS } from './portal-refused.ts';
import { HubSpotApiError, PortalNotInstalledError } from './portal-client.ts';
import { PortalUserCache } from './portal-user-cache.ts';
import { findPortalUser, listPortalRoles, type PortalRole, type PortalUser } from './portal-users.ts';
import { adminRoleIdsOf, findPortalRow } from './portals.ts';
import { callerOf } from './signed-requests.ts';

export interface AppAdminStatus {
  superAdmin: boolean;
  /** May change the app's settings: a super admin, or a user with an allowed role. */
  appAdmin: boolean;
  allowedRoleIds: string[];
}

const caches = new WeakMap<AppContext, PortalUserCache>();

function cacheOf(ctx: AppContext): PortalUserCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new PortalUserCache()));
  return cache;
}

function checkFailed(ctx: AppContext, portalId: number, error: unknown): unknown {
  // HubSpot refused the portal's tokens for good: nobody can be checked, so nobody may act. The portal now
  // waits for a reinstall, and its data goes after the grace period (hubspot/portal-refused.ts).
  if (error instanceof PortalNotInstalledError) {
    return new HttpError(
      403,
      'reinstall_required',
      `HubSpot no longer accepts this app in this HubSpot account (it was uninstalled there). Reinstall it to change its settings; otherwise its data here is deleted ${UNINSTALL_GRACE_MS / 86_400_000} days after the uninstall.`,
    );
  }
  if (!(error instanceof HubSpotApiError)) return error;
  if (error.status === 403 && error.category === 'MISSING_SCOPES') {
    return new HttpError(
      403,
      'reinstall_required',
      'This install has not granted the app the "settings.users.read" scope, which it needs to check who may change its settings. Reinstall the app in this HubSpot account to grant it.',
    );
  }
  ctx.logger.warn({ portalId, status: error.status, category: error.category, correlationId: error.correlationId }, 'HubSpot users API failed');
  return new HttpError(503, 'hubspot_unavailable', 'HubSpot could not tell who may change the app\'s settings just now, so nothing was changed. Try again in a moment.');
}

async function portalUser(ctx: AppContext, portalId: number, userId: number): Promise<PortalUser | null> {
  const cache = cacheOf(ctx);
  const cached = cache.get(portalId, userId);
  if (cached !== undefined) return cached;
  let user: PortalUser | null;
  try {
    user = await findPortalUser(ctx, portalId, userId);
  } catch (error) {
    throw checkFailed(ctx, portalId, error);
  }
  cache.set(portalId, userId, user);
  return user;
}

/** The portal's HubSpot roles, to choose which of them may change the app's settings. */
export async function portalRoles(ctx: AppContext, portalId: number): Promise<PortalRole[]> {
  try {
    return await listPortalRoles(ctx, portalId);
  } catch (error) {
    throw checkFailed(ctx, portalId, error);
  }
}

/** The caller's standing in their portal; 403 when HubSpot does not know them there, 403/503 when it cannot say. */
export async function appAdminStatusOf(ctx: AppContext, req: Request): Promise<AppAdminStatus> {
  const { portalId, userId } = callerOf(req);
  if (!userId) throw forbidden('The signed request does not say which HubSpot user made it');
  const user = await portalUser(ctx, portalId, userId);
  if (!user) throw forbidden(`HubSpot does not know user ${userId} as a user of this HubSpot account`);
  const row = await findPortalRow(ctx.db, portalId);
  const allowedRoleIds = row ? adminRoleIdsOf(row) : [];
  return { superAdmin: user.superAdmin, appAdmin: user.superAdmin || user.roleIds.some((id) => allowedRoleIds.includes(id)), allowedRoleIds };
}

/** Use after hubspotFetchAuth on routes that change the app's settings. */
export function requireAppAdmin(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    const status = await appAdminStatusOf(ctx, req);
    if (status.appAdmin) return next();
    const who = status.allowedRoleIds.length
      ? 'a super admin of this HubSpot account, or a user with one of the roles allowed in the app\'s settings'
      : 'a super admin of this HubSpot account';
    throw new HttpError(403, 'admin_required', `Only ${who} can change the LINE settings or disconnect the app.`);
  };
}

/** Use after hubspotFetchAuth where only a super admin may act (choosing which roles count as admins). */
export function requireSuperAdmin(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    if ((await appAdminStatusOf(ctx, req)).superAdmin) return next();
    throw new HttpError(403, 'super_admin_required', 'Only a super admin of this HubSpot account can choose which roles may change the app\'s settings.');
  };
}
