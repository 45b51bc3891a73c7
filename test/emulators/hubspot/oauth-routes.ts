// OAuth: the authorize page (plays a consenting user), token exchange/refresh, introspection, revocation.
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Request } from 'express';
import { errorBody, HttpError } from './errors.ts';
import type { EmulatorState } from './state.ts';
import { install, newAccessToken, revokeRefreshToken, tokenResponse } from './tokens.ts';

export interface AuthorizePlan {
  portalId: number;
  consent?: boolean;
  userId?: number;
}

/** OAuth errors carry the HubSpot `status` code word (BAD_AUTH_CODE, ...) and a spec-conformant category. */
const oauthError = (code: string, message: string, status = 400) => new HttpError(status, { ...errorBody(code, message), status: code });

function form(req: Request): Record<string, string> {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...(req.query as Record<string, unknown>), ...body })) if (v !== undefined) out[k] = String(v);
  return out;
}

function hubDomain(portalId: number) {
  return `portal-${portalId}.hubspot.emulator`;
}

export function oauthRoutes(state: EmulatorState, plans: AuthorizePlan[]): Router {
  const r = Router();
  const { config } = state;

  r.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== config.clientId) {
      res.status(400).type('text/plain').send('Invalid client_id: this app does not exist.');
      return;
    }
    const redirect = q.redirect_uri;
    if (!redirect || !/^https?:\/\//.test(redirect) || (config.redirectUris && !config.redirectUris.includes(redirect))) {
      res.status(400).type('text/plain').send('Invalid redirect_uri: it does not match the app\'s redirect URLs.');
      return;
    }
    const plan = plans.shift() ?? (state.lastPortalId !== undefined ? { portalId: state.lastPortalId } : undefined);
    const target = new URL(redirect);
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    if (!plan || plan.consent === false) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user declined to install the app.');
      res.redirect(302, target.toString());
      return;
    }
    state.portal(plan.portalId);
    const split = (s: string | undefined) => (s ?? '').split(/[\s+,]+/).filter(Boolean);
    const code = randomBytes(18).toString('hex');
    state.authCodes.set(code, {
      code,
      portalId: plan.portalId,
      userId: plan.userId ?? 1_000_000 + plan.portalId % 1000,
      redirectUri: redirect,
      clientId: config.clientId,
      scopes: [...new Set([...split(q.scope), ...split(q.optional_scope)])],
      expiresAt: state.clock.now() + 10 * 60_000,
      used: false,
    });
    target.searchParams.set('code', code);
    res.redirect(302, target.toString());
  });

  const token = (req: Request) => {
    const f = form(req);
    if (f.client_id !== config.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (f.client_secret !== config.clientSecret) throw oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (f.grant_type === 'authorization_code') {
      const code = state.authCodes.get(f.code ?? '');
      if (!code || code.used || code.expiresAt < state.clock.now()) throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (f.redirect_uri !== code.redirectUri) throw oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the one used to authorize');
      code.used = true;
      const { access, refresh } = install(state, code.portalId, code.userId, code.scopes);
      return tokenResponse(state, access, refresh);
    }
    if (f.grant_type === 'refresh_token') {
      const refresh = state.refreshTokens.get(f.refresh_token ?? '');
      if (!refresh || refresh.revoked || !state.portals.get(refresh.portalId)?.installed) {
        throw oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      }
      return tokenResponse(state, newAccessToken(state, refresh), refresh);
    }
    throw oauthError('BAD_GRANT_TYPE', `unsupported grant_type: ${f.grant_type ?? '(none)'}`);
  };
  r.post('/oauth/v3/token', (req, res) => void res.json(token(req)));
  r.post('/oauth/v1/token', (req, res) => void res.json(token(req)));

  const accessInfo = (t: string) => {
    const a = state.accessTokens.get(t);
    if (!a) return undefined;
    const live = !a.revoked && a.expiresAt > state.clock.now() && !!state.portals.get(a.portalId)?.installed;
    return { a, live, expiresIn: Math.max(0, Math.round((a.expiresAt - state.clock.now()) / 1000)) };
  };

  r.post('/oauth/v3/token/introspect', (req, res) => {
    const f = form(req);
    if (f.client_id !== config.clientId || f.client_secret !== config.clientSecret) throw oauthError('BAD_CLIENT_ID', 'missing or invalid client credentials');
    const info = accessInfo(f.token ?? '');
    if (info) {
      const { a, live, expiresIn } = info;
      res.json({
        active: live,
        token: a.token,
        token_type: 'access',
        token_use: 'access_token',
        client_id: config.clientId,
        app_id: config.appId,
        hub_id: a.portalId,
        hub_domain: hubDomain(a.portalId),
        user_id: a.userId,
        user: `user${a.userId}@example.com`,
        scopes: a.scopes,
        expires_in: expiresIn,
        is_private_distribution: false,
        signed_access_token: {
          expiresAt: a.expiresAt,
          scopes: a.scopes.join(' '),
          hubId: a.portalId,
          userId: a.userId,
          appId: config.appId,
          appInstallId: `${config.appId}-${a.portalId}`,
          audience: 'EMULATOR',
          hublet: 'na1',
          installingUserId: a.userId,
          isPrivateDistribution: false,
          isServiceAccount: false,
          isUserLevel: false,
          newSignature: '',
          signature: '',
          scopeToScopeGroupPks: '',
          trialScopeToScopeGroupPks: '',
          trialScopes: '',
        },
      });
      return;
    }
    const rt = state.refreshTokens.get(f.token ?? '');
    if (!rt) throw oauthError('BAD_TOKEN', 'missing or unknown token');
    res.json({
      active: !rt.revoked,
      token: rt.token,
      token_type: 'refresh',
      token_use: 'refresh_token',
      client_id: config.clientId,
      app_id: config.appId,
      hub_id: rt.portalId,
      hub_domain: hubDomain(rt.portalId),
      user_id: rt.userId,
      user: `user${rt.userId}@example.com`,
      scopes: rt.scopes,
    });
  });

  r.post('/oauth/v3/token/revoke', (req, res) => {
    const f = form(req);
    if (f.client_id !== config.clientId || f.client_secret !== config.clientSecret) throw oauthError('BAD_CLIENT_ID', 'missing or invalid client credentials');
    const t = f.token ?? '';
    if (!revokeRefreshToken(state, t)) {
      const a = state.accessTokens.get(t);
      if (a) a.revoked = true;
    }
    res.status(200).end();
  });

  r.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const info = accessInfo(String(req.params.token));
    if (!info || !info.live) throw oauthError('NOT_FOUND', 'Token not found or expired', 404);
    const { a, expiresIn } = info;
    res.json({
      token: a.token,
      user: `user${a.userId}@example.com`,
      hub_domain: hubDomain(a.portalId),
      scopes: a.scopes,
      hub_id: a.portalId,
      app_id: config.appId,
      expires_in: expiresIn,
      user_id: a.userId,
      token_type: 'access',
      is_private_distribution: false,
    });
  });

  r.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const rt = state.refreshTokens.get(String(req.params.token));
    if (!rt || rt.revoked) throw oauthError('NOT_FOUND', 'Refresh token not found', 404);
    res.json({
      token: rt.token,
      user: `user${rt.userId}@example.com`,
      hub_domain: hubDomain(rt.portalId),
      scopes: rt.scopes,
      hub_id: rt.portalId,
      client_id: config.clientId,
      user_id: rt.userId,
      token_type: 'refresh',
    });
  });

  r.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    if (!revokeRefreshToken(state, String(req.params.token))) throw oauthError('NOT_FOUND', 'Refresh token not found', 404);
    res.status(204).end();
  });

  return r;
}
