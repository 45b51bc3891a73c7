// HubSpot's OAuth v3 endpoints, called with fetch: the SDK's OAuth helper still uses v1 (deprecated).
import type { Config } from '../config.ts';
import { HubSpotApiError, hubSpotErrorFrom, toHubSpotApiError } from './api-error.ts';

const OAUTH_TIMEOUT_MS = 15_000;

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
  hubId?: number;
  userId?: number;
  scopes?: string[];
}

export interface TokenInfo {
  hubId: number;
  hubDomain?: string;
  userId?: number;
  scopes: string[];
}

function clientCredentials(config: Config): { client_id: string; client_secret: string } {
  if (!config.HUBSPOT_CLIENT_ID || !config.HUBSPOT_CLIENT_SECRET) {
    throw new Error('HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET must be configured to talk to HubSpot');
  }
  return { client_id: config.HUBSPOT_CLIENT_ID, client_secret: config.HUBSPOT_CLIENT_SECRET };
}

async function postForm(config: Config, path: string, operation: string, form: Record<string, string>): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(`${config.HUBSPOT_API_BASE_URL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(OAUTH_TIMEOUT_MS),
    });
  } catch (error) {
    throw toHubSpotApiError(error, operation);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Keep the text: HubSpot error pages are sometimes not JSON.
  }
  if (!response.ok) throw hubSpotErrorFrom(operation, response.status, body, response.headers);
  if (typeof body !== 'object' || body === null) {
    throw new HubSpotApiError({ status: response.status, operation, message: 'the response is not a JSON object' });
  }
  return body as Record<string, unknown>;
}

function tokenSetFrom(body: Record<string, unknown>, operation: string, now: number): TokenSet {
  const accessToken = body.access_token;
  const refreshToken = body.refresh_token;
  const expiresIn = Number(body.expires_in);
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || !Number.isFinite(expiresIn)) {
    throw new HubSpotApiError({ status: 200, operation, message: 'the token response lacks access_token, refresh_token or expires_in' });
  }
  const positive = (v: unknown) => (Number.isSafeInteger(Number(v)) && Number(v) > 0 ? Number(v) : undefined);
  return {
    accessToken,
    refreshToken,
    expiresAt: now + expiresIn * 1000,
    hubId: positive(body.hub_id),
    userId: positive(body.user_id),
    scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : undefined,
  };
}

export async function exchangeAuthorizationCode(config: Config, code: string, redirectUri: string): Promise<TokenSet> {
  const started = Date.now();
  const body = await postForm(config, '/oauth/v3/token', 'oauth.exchange-code', {
    grant_type: 'authorization_code',
    ...clientCredentials(config),
    redirect_uri: redirectUri,
    code,
  });
  return tokenSetFrom(body, 'oauth.exchange-code', started);
}

export async function refreshAccessToken(config: Config, refreshToken: string): Promise<TokenSet> {
  const started = Date.now();
  const body = await postForm(config, '/oauth/v3/token', 'oauth.refresh', {
    grant_type: 'refresh_token',
    ...clientCredentials(config),
    refresh_token: refreshToken,
  });
  return tokenSetFrom(body, 'oauth.refresh', started);
}

/** Which portal (hub) and user an access token belongs to, and its scopes. */
export async function introspectAccessToken(config: Config, accessToken: string): Promise<TokenInfo> {
  const body = await postForm(config, '/oauth/v3/token/introspect', 'oauth.introspect', {
    ...clientCredentials(config),
    token: accessToken,
    token_type_hint: 'access_token',
  });
  const hubId = Number(body.hub_id);
  if (!Number.isSafeInteger(hubId) || hubId <= 0 || body.active === false) {
    throw new HubSpotApiError({ status: 200, operation: 'oauth.introspect', message: 'the token is not active or names no hub_id' });
  }
  return {
    hubId,
    hubDomain: typeof body.hub_domain === 'string' ? body.hub_domain : undefined,
    userId: Number.isSafeInteger(Number(body.user_id)) ? Number(body.user_id) : undefined,
    scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : [],
  };
}

/**
 * True when HubSpot will never accept this refresh token again (app uninstalled, token revoked):
 * retrying cannot help, the portal has to reinstall. Other OAuth errors (BAD_CLIENT_SECRET after a
 * misconfiguration, 5xx) are not taken as an uninstall.
 */
export function isRefreshRefused(error: unknown): boolean {
  return (
    error instanceof HubSpotApiError &&
    (error.status === 400 || error.status === 401) &&
    (error.category === 'BAD_REFRESH_TOKEN' || error.category === 'invalid_grant')
  );
}
