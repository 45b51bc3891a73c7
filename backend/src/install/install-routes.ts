// The HubSpot install (OAuth authorization code flow):
// GET /oauth/install  → 302 to HubSpot's authorize page with our scopes and a signed, single-use state.
// GET /oauth/callback → state checked, code exchanged (v3), portal identified (introspection), tokens
//                       stored sealed, provisioning queued; a page in English and Japanese either way.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HubSpotApiError } from '../hubspot/api-error.ts';
import { exchangeAuthorizationCode, introspectAccessToken } from '../hubspot/oauth-api.ts';
import { sendHtmlPage } from '../http/html-page.ts';
import { installPagePolicy, installPages, renderInstallPage, type InstallPage } from './install-pages.ts';
import { consumeInstallState, issueInstallState } from './oauth-state.ts';
import { saveInstall } from './save-install.ts';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from './scopes.ts';
import { hubspotAppSettingsUrl } from './settings-link.ts';

const callbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

export function redirectUri(ctx: AppContext): string {
  return `${ctx.config.PUBLIC_BASE_URL}/oauth/callback`;
}

/** HubSpot's authorize URL; scopes joined with %20 as in HubSpot's examples. */
export function authorizeUrl(ctx: AppContext, state: string): string {
  const params: Array<[string, string]> = [
    ['client_id', ctx.config.HUBSPOT_CLIENT_ID ?? ''],
    ['redirect_uri', redirectUri(ctx)],
    ['scope', REQUIRED_SCOPES.join(' ')],
    // Without optional scopes the parameter is left out rather than sent empty.
    ...(OPTIONAL_SCOPES.length ? [['optional_scope', OPTIONAL_SCOPES.join(' ')] as [string, string]] : []),
    ['state', state],
  ];
  return `${ctx.config.HUBSPOT_APP_BASE_URL}/oauth/authorize?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

function send(req: Request, res: Response, page: InstallPage): void {
  // English unless the browser prefers Japanese (`*` or no header means English).
  const preferJapanese = req.acceptsLanguages('en', 'ja') === 'ja';
  res.set('cache-control', 'no-store');
  sendHtmlPage(res, page.status, renderInstallPage(page, preferJapanese), installPagePolicy);
}

export function installRoutes(ctx: AppContext): Router {
  const router = Router();
  const configured = Boolean(ctx.config.HUBSPOT_CLIENT_ID && ctx.config.HUBSPOT_CLIENT_SECRET);
  const installUrl = `${ctx.config.PUBLIC_BASE_URL}/oauth/install`;

  router.get('/oauth/install', (req, res) => {
    if (!configured) return send(req, res, installPages.notConfigured());
    res.set('cache-control', 'no-store').redirect(302, authorizeUrl(ctx, issueInstallState(ctx)));
  });

  router.get('/oauth/callback', async (req, res) => {
    if (!configured) return send(req, res, installPages.notConfigured());
    const query = callbackQuery.safeParse(req.query);
    if (!query.success) return send(req, res, installPages.badRequest(installUrl));
    const { code, state, error } = query.data;
    if (error) {
      req.log.info({ error }, 'HubSpot install not granted');
      return send(req, res, installPages.denied(installUrl));
    }
    if (!code || !state) return send(req, res, installPages.badRequest(installUrl));
    const stateCheck = await consumeInstallState(ctx, state);
    if (!stateCheck.ok) {
      req.log.warn({ problem: stateCheck.problem }, 'HubSpot install callback with an unusable state');
      return send(req, res, stateCheck.problem === 'replayed' ? installPages.replayed(installUrl) : installPages.badState(installUrl));
    }
    try {
      const tokens = await exchangeAuthorizationCode(ctx.config, code, redirectUri(ctx));
      const info = await introspectAccessToken(ctx.config, tokens.accessToken);
      if (tokens.hubId !== undefined && tokens.hubId !== info.hubId) {
        throw new HubSpotApiError({ status: 200, operation: 'oauth.introspect', message: 'the token names a different hub than the token response' });
      }
      const { reinstalled } = await saveInstall(ctx, {
        portalId: info.hubId,
        hubDomain: info.hubDomain,
        userId: info.userId ?? tokens.userId,
        scopes: info.scopes.length ? info.scopes : (tokens.scopes ?? []),
        tokens,
      });
      req.log.info({ portalId: info.hubId, reinstalled }, reinstalled ? 'HubSpot app reinstalled' : 'HubSpot app installed');
      send(req, res, installPages.installed(hubspotAppSettingsUrl(ctx.config, info.hubId)));
    } catch (failure) {
      if (!(failure instanceof HubSpotApiError)) throw failure;
      req.log.warn({ status: failure.status, category: failure.category, correlationId: failure.correlationId, operation: failure.operation }, 'HubSpot install could not be completed');
      send(req, res, failure.isTransient ? installPages.unavailable(installUrl) : installPages.refused(installUrl));
    }
  });

  return router;
}
