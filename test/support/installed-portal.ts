// Makes a portal "installed" for a test without running the OAuth flow: a HubSpot emulator portal with
// issued tokens, and the backend's portals row holding those tokens sealed as the install feature seals them.
import type { AppContext } from '../../backend/src/context.ts';
import { tokenSecretContext } from '../../backend/src/hubspot/portals.ts';
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
  await ctx.db('portals')
    .insert({
      portal_id: portal.portalId,
      hub_domain: `portal-${portal.portalId}.example.com`,
      status: 'installed',
      access_token: ctx.secrets.seal(tokens.accessToken, tokenSecretContext(portal.portalId, 'access_token')),
      refresh_token: ctx.secrets.seal(tokens.refreshToken, tokenSecretContext(portal.portalId, 'refresh_token')),
      access_token_expires_at: now + tokens.expiresIn * 1000,
      scopes: scopes.join(' '),
      installed_by_user_id: 1,
      installed_at: now,
      updated_at: now,
    })
    .onConflict('portal_id')
    .merge();
  return { portalId: portal.portalId, ...tokens };
}
