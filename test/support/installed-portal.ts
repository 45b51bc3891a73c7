// Makes a portal "installed" for a test without running the OAuth flow: a HubSpot emulator portal with
// issued tokens, and the backend's portals row holding those tokens, stored as the install feature stores them.
import type { AppContext } from '../../backend/src/context.ts';
import { recordAuthorization, recordInstall } from '../../backend/src/hubspot/portals.ts';
import { ALL_SCOPES } from '../emulators/hubspot/auth.ts';
import type { HubSpotEmulator } from '../emulators/hubspot/index.ts';

export interface InstalledPortal {
  portalId: number;
  accessToken: string;
  refreshToken: string;
}

export async function installPortal(ctx: AppContext, hubspot: HubSpotEmulator, options: { portalId?: number; scopes?: string[] } = {}): Promise<InstalledPortal> {
  const portal = options.portalId !== undefined && hubspot.state.portals.has(options.portalId) ? hubspot.portal(options.portalId) : hubspot.createPortal({ portalId: options.portalId });
  const scopes = options.scopes ?? ALL_SCOPES;
  const tokens = hubspot.issueTokens(portal.portalId, scopes);
  const now = Date.now();
  await ctx.db.transaction(async (trx) => {
    await recordInstall(trx, ctx.secrets, {
      portalId: portal.portalId,
      hubDomain: `portal-${portal.portalId}.example.com`,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: now + tokens.expiresIn * 1000,
      scopes,
      userId: 1,
    }, now);
    await recordAuthorization(trx, portal.portalId, now);
  });
  return { portalId: portal.portalId, ...tokens };
}
