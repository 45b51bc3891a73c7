import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator } from './index.ts';
import type { HubSpotEmulator, Portal } from './index.ts';
import { api } from './test-helpers.ts';

let hs: HubSpotEmulator;
let portal: Portal;
const redirectUri = 'https://app.example/oauth/callback';

beforeEach(async () => {
  hs = await startHubSpotEmulator({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
  portal = hs.createPortal({ timeZone: 'Asia/Tokyo' });
});
afterEach(async () => {
  await hs.close();
});

async function authorize(params: Record<string, string>) {
  const url = new URL('/oauth/authorize', hs.appBaseUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location') ? new URL(res.headers.get('location')!) : undefined };
}

async function token(form: Record<string, string>, version = 'v3') {
  const res = await fetch(`${hs.baseUrl}/oauth/${version}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

describe('OAuth', () => {
  it('authorize → code → tokens → refresh → expiry 401 → revoke', async () => {
    const auth = await authorize({ client_id: hs.clientId, redirect_uri: redirectUri, scope: 'oauth crm.objects.contacts.read', optional_scope: 'timeline', state: 'st-1' });
    expect(auth.status).toBe(302);
    expect(auth.location?.origin + auth.location!.pathname).toBe(redirectUri);
    expect(auth.location?.searchParams.get('state')).toBe('st-1');
    const code = auth.location!.searchParams.get('code')!;
    const wrongRedirect = await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb', client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(wrongRedirect.status).toBe(400);
    const wrongSecret = await token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: hs.clientId, client_secret: 'nope' });
    expect(wrongSecret.status).toBe(400);
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: 1800, hub_id: portal.portalId, scopes: ['oauth', 'crm.objects.contacts.read', 'timeline'] });
    expect(portal.installed).toBe(true);
    const reused = await token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(reused.body.status).toBe('BAD_AUTH_CODE');

    const details = await api(hs, first.body.access_token, 'GET', '/account-info/v3/details');
    expect(details.body).toMatchObject({ portalId: portal.portalId, timeZone: 'Asia/Tokyo', utcOffset: '+09:00' });
    expect((await api(hs, first.body.access_token, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'a@b.jp' }, associations: [] })).status).toBe(403);

    const introspect = await fetch(`${hs.baseUrl}/oauth/v3/token/introspect`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: hs.clientId, client_secret: hs.clientSecret, token: first.body.access_token }),
    });
    expect(await introspect.json()).toMatchObject({ active: true, hub_id: portal.portalId, token_use: 'access_token' });

    hs.clock.advance(1801_000);
    const expired = await api(hs, first.body.access_token, 'GET', '/account-info/v3/details');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBe(first.body.refresh_token);
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    expect((await api(hs, refreshed.body.access_token, 'GET', '/account-info/v3/details')).status).toBe(200);
    const v1 = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: hs.clientId, client_secret: hs.clientSecret }, 'v1');
    expect(v1.status).toBe(200);

    hs.revokeRefreshToken(first.body.refresh_token);
    const afterRevoke = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(afterRevoke.status).toBe(400);
    expect(afterRevoke.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
    expect((await api(hs, refreshed.body.access_token, 'GET', '/account-info/v3/details')).status).toBe(401);
  });

  it('denied consent and unknown tokens', async () => {
    hs.authorize.next({ portalId: portal.portalId, consent: false });
    const denied = await authorize({ client_id: hs.clientId, redirect_uri: redirectUri, scope: 'oauth', state: 's' });
    expect(denied.location?.searchParams.get('error')).toBe('access_denied');
    expect(denied.location?.searchParams.get('state')).toBe('s');
    expect((await authorize({ client_id: 'other', redirect_uri: redirectUri, scope: 'oauth' })).status).toBe(400);
    const unknown = await api(hs, 'not-a-token', 'GET', '/crm/v3/owners');
    expect(unknown.status).toBe(401);
    expect(unknown.body.category).toBe('INVALID_AUTHENTICATION');
    const missing = await fetch(`${hs.baseUrl}/crm/v3/owners`);
    expect(missing.status).toBe(401);
  });

  it('authorize.next picks the portal; uninstall refuses its tokens', async () => {
    const second = hs.createPortal();
    hs.authorize.next({ portalId: portal.portalId, userId: 77 });
    const auth = await authorize({ client_id: hs.clientId, redirect_uri: redirectUri, scope: 'oauth' });
    const t = await token({ grant_type: 'authorization_code', code: auth.location!.searchParams.get('code')!, redirect_uri: redirectUri, client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(t.body).toMatchObject({ hub_id: portal.portalId, user_id: 77 });
    const other = hs.issueTokens(second.portalId);
    expect((await api(hs, t.body.access_token, 'DELETE', '/appinstalls/v3/external-install')).status).toBe(204);
    expect(portal.installed).toBe(false);
    expect((await api(hs, t.body.access_token, 'GET', '/account-info/v3/details')).status).toBe(401);
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: t.body.refresh_token, client_id: hs.clientId, client_secret: hs.clientSecret });
    expect(refresh.body.status).toBe('BAD_REFRESH_TOKEN');
    expect((await api(hs, other.accessToken, 'GET', '/account-info/v3/details')).body.portalId).toBe(second.portalId);
    hs.uninstall(second.portalId);
    expect((await api(hs, other.accessToken, 'GET', '/account-info/v3/details')).status).toBe(401);
  });
});
