// Disconnect from the settings page: uninstall the app from the portal at HubSpot, then erase everything
// stored about the portal. If HubSpot cannot be reached nothing is erased, so the user can try again
// and never ends up with the app installed in HubSpot but its data gone here.
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ensureOk, HubSpotApiError, hubspotFor, PortalNotInstalledError } from '../hubspot/portal-client.ts';
import { erasePortal } from './erase-portal.ts';

export async function disconnectPortal(ctx: AppContext, portalId: number): Promise<Record<string, number>> {
  try {
    const hs = await hubspotFor(ctx, portalId);
    await hs.call('appinstalls.uninstall', async (client) =>
      ensureOk(await client.apiRequest({ method: 'DELETE', path: '/appinstalls/v3/external-install' }), 'appinstalls.uninstall'),
    );
  } catch (error) {
    // HubSpot refusing our tokens for good means the app is already uninstalled there: erase anyway.
    const alreadyUninstalled = error instanceof PortalNotInstalledError || (error instanceof HubSpotApiError && error.status === 401);
    if (!alreadyUninstalled) {
      ctx.logger.warn({ err: error, portalId }, 'uninstall at HubSpot failed; nothing erased');
      throw new HttpError(502, 'hubspot_unavailable', 'HubSpot did not confirm the uninstall; nothing was deleted. Try again in a few minutes.');
    }
  }
  return erasePortal(ctx, portalId);
}
