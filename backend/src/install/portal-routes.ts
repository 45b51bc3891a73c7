// Endpoints of the settings page about the install itself, reached through hubspot.fetch (signed; the
// portal comes only from the signed query string, so a caller only ever sees or changes its own portal).
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { badRequest } from '../http/errors.ts';
import { requireAppAdmin } from '../hubspot/app-admin.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { findPortalRow, scopesOf } from '../hubspot/portals.ts';
import { OPTIONAL_SCOPES } from './scopes.ts';
import { disconnectPortal } from './disconnect.ts';

export interface PortalStatusResponse {
  portalId: number;
  status: string;
  hubDomain: string | null;
  scopes: string[];
  /** Optional scopes the portal did not grant (features that need them are unavailable). */
  missingOptionalScopes: string[];
  installedAt: string;
  installedByUserId: number | null;
}

const disconnectBody = z.object({ confirm: z.literal(true) }).strict();

export function portalRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);

  router.get('/api/portal', ...auth, async (req, res) => {
    const { portalId } = callerOf(req);
    const row = (await findPortalRow(ctx.db, portalId))!;
    const scopes = scopesOf(row);
    const body: PortalStatusResponse = {
      portalId,
      status: row.status,
      hubDomain: row.hub_domain,
      scopes,
      missingOptionalScopes: OPTIONAL_SCOPES.filter((s) => !scopes.includes(s)),
      installedAt: new Date(Number(row.installed_at)).toISOString(),
      installedByUserId: row.installed_by_user_id === null ? null : Number(row.installed_by_user_id),
    };
    res.json(body);
  });

  router.post('/api/portal/disconnect', ...auth, requireAppAdmin(ctx), async (req, res) => {
    const parsed = disconnectBody.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest('Send {"confirm": true} to disconnect: this uninstalls the app and deletes all of this portal\'s LINE data.');
    const { portalId, userId } = callerOf(req);
    const deleted = await disconnectPortal(ctx, portalId);
    req.log.info({ portalId, userId, deleted }, 'portal disconnected by a HubSpot user');
    res.json({ disconnected: true });
  });

  return router;
}
