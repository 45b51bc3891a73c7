// Workflow calls name their portal in origin.portalId: it must have installed the app, else 403 (HubSpot
// does not retry 4xx, and nothing is stored).
import type { AppContext } from '../context.ts';
import { HttpError, forbidden } from '../http/errors.ts';
import { findPortalRow, type PortalRow } from '../hubspot/portals.ts';

export function installRefusal(portal: Pick<PortalRow, 'status'> | undefined): HttpError | undefined {
  if (!portal) return forbidden('This HubSpot portal has not installed the app');
  if (portal.status !== 'installed') return new HttpError(403, 'reinstall_required', 'The app must be reinstalled in this HubSpot portal');
  return undefined;
}

export async function requireInstalled(ctx: AppContext, portalId: number): Promise<void> {
  const refusal = installRefusal(await findPortalRow(ctx.db, portalId));
  if (refusal) throw refusal;
}
