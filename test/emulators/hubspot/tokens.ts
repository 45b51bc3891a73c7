// Issuing, refreshing and revoking OAuth tokens; install and uninstall of the app in a portal.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccessTokenRecord, EmulatorState, RefreshTokenRecord } from './state.ts';

const region = 'na1';

export function newAccessToken(state: EmulatorState, refresh: RefreshTokenRecord): AccessTokenRecord {
  const token = `C${randomBytes(3).toString('hex').toUpperCase()}-${region}-${randomBytes(48).toString('base64url')}`;
  const rec: AccessTokenRecord = {
    token,
    portalId: refresh.portalId,
    userId: refresh.userId,
    scopes: refresh.scopes,
    expiresAt: state.clock.now() + state.config.accessTokenTtlSeconds * 1000,
    refreshToken: refresh.token,
    revoked: false,
  };
  state.accessTokens.set(token, rec);
  return rec;
}

export function newRefreshToken(state: EmulatorState, portalId: number, userId: number, scopes: string[]): RefreshTokenRecord {
  const rec: RefreshTokenRecord = { token: `${region}-${randomUUID()}`, portalId, userId, scopes, revoked: false };
  state.refreshTokens.set(rec.token, rec);
  return rec;
}

/** Marks the app installed in the portal and issues a token pair (what the OAuth code exchange does). */
export function install(state: EmulatorState, portalId: number, userId: number, scopes: string[]) {
  const portal = state.portal(portalId);
  portal.installed = true;
  const refresh = newRefreshToken(state, portalId, userId, scopes);
  const access = newAccessToken(state, refresh);
  return { refresh, access };
}

export function tokenResponse(state: EmulatorState, access: AccessTokenRecord, refresh: RefreshTokenRecord) {
  return {
    token_type: 'bearer',
    access_token: access.token,
    refresh_token: refresh.token,
    expires_in: Math.round((access.expiresAt - state.clock.now()) / 1000),
    token_use: 'access_token',
    hub_id: access.portalId,
    user_id: access.userId,
    scopes: access.scopes,
  };
}

export function revokeRefreshToken(state: EmulatorState, token: string): boolean {
  const rec = state.refreshTokens.get(token);
  if (!rec) return false;
  rec.revoked = true;
  for (const a of state.accessTokens.values()) if (a.refreshToken === token) a.revoked = true;
  return true;
}

/** Uninstall: every token of the portal is refused from now on. */
export function uninstall(state: EmulatorState, portalId: number): void {
  const portal = state.portal(portalId);
  portal.installed = false;
  for (const r of state.refreshTokens.values()) if (r.portalId === portalId) r.revoked = true;
  for (const a of state.accessTokens.values()) if (a.portalId === portalId) a.revoked = true;
}
