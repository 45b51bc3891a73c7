// /api/* is reached only through hubspot.fetch: signed by HubSpot, for an installed portal, and a portal
// only ever sees or changes its own data. Driven through the HubSpot emulator's hubspot.fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV3 } from '../emulators/hubspot/index.ts';
import { installThroughBrowser, startWorld, type World } from '../install/harness.ts';

describe('signed /api requests', () => {
  let world: World;
  let portalA: number;
  let portalB: number;
  beforeAll(async () => {
    world = await startWorld('sqlite');
    portalA = world.hubspot.createPortal().portalId;
    portalB = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portalA);
    await installThroughBrowser(world, portalB);
  });
  afterAll(async () => {
    await world?.close();
  });

  const api = (path: string) => `${world.backend.url}${path}`;

  it('without a signature, or with a wrong or stale one: 401', async () => {
    const unsigned = await fetch(api(`/api/portal?portalId=${portalA}`));
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).error.code).toBe('unauthorized');

    const wrongSecret = await world.hubspot.hubspotFetch(api('/api/portal'), { portalId: portalA, clientSecret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);

    const stale = await world.hubspot.hubspotFetch(api('/api/portal'), { portalId: portalA, timestamp: Date.now() - 6 * 60_000, signatureVersion: 'v3' });
    expect(stale.status).toBe(401);
  });

  it('a valid signature for a portal that has not installed the app: 403', async () => {
    const stranger = world.hubspot.createPortal().portalId;
    const res = await world.hubspot.hubspotFetch(api('/api/portal'), { portalId: stranger });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });

  it('a portal waiting for a reinstall: 403 reinstall_required', async () => {
    const portal = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portal);
    await world.ctx.db('portals').where({ portal_id: portal }).update({ status: 'needs_reinstall' });
    const res = await world.hubspot.hubspotFetch(api('/api/portal'), { portalId: portal });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('reinstall_required');
  });

  it('GET /api/portal answers the caller\'s own install, and never a token', async () => {
    for (const portalId of [portalA, portalB]) {
      const res = await world.hubspot.hubspotFetch(api('/api/portal'), { portalId });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ portalId, status: 'installed', missingOptionalScopes: [] });
      expect(body.scopes).toContain('crm.schemas.contacts.write');
      expect(Object.keys(body).sort()).toEqual(['hubDomain', 'installedAt', 'installedByUserId', 'missingOptionalScopes', 'portalId', 'scopes', 'status']);
      const row = await world.ctx.db('portals').where({ portal_id: portalId }).first();
      expect(JSON.stringify(body)).not.toContain(row.access_token);
    }
  });

  it('the portal comes only from the signed query: changing it after signing fails, a portalId in the body is ignored', async () => {
    const signedUrl = `${api('/api/portal')}?portalId=${portalA}&userId=1&userEmail=a%40example.com&appId=${world.hubspot.appId}`;
    const timestamp = Date.now();
    const headers = { 'X-HubSpot-Request-Timestamp': String(timestamp), 'X-HubSpot-Signature-v3': signV3(world.hubspot.clientSecret, 'GET', signedUrl, '', timestamp) };
    expect((await fetch(signedUrl, { headers })).status).toBe(200);
    const tampered = await fetch(signedUrl.replace(`portalId=${portalA}`, `portalId=${portalB}`), { headers });
    expect(tampered.status).toBe(401);

    const bodyClaim = await world.hubspot.hubspotFetch(api('/api/portal/disconnect'), { portalId: portalA, method: 'POST', body: { confirm: true, portalId: portalB } });
    expect(bodyClaim.status).toBe(400); // unknown fields are refused, and nothing happens
    expect(await world.ctx.db('portals').where({ portal_id: portalB }).first()).toBeDefined();
    expect(await world.ctx.db('portals').where({ portal_id: portalA }).first()).toBeDefined();
  });

  it('a request signed for another app: 403', async () => {
    const url = `${api('/api/portal')}?portalId=${portalA}&appId=${world.hubspot.appId + 1}`;
    const timestamp = Date.now();
    const res = await fetch(url, { headers: { 'X-HubSpot-Request-Timestamp': String(timestamp), 'X-HubSpot-Signature-v3': signV3(world.hubspot.clientSecret, 'GET', url, '', timestamp) } });
    expect(res.status).toBe(403);
  });

  it('v3 alone is enough (hubspot.fetch calls carry v3; v2 is accepted only on workflow-action routes)', async () => {
    const res = await world.hubspot.hubspotFetch(api('/api/portal'), { portalId: portalA, signatureVersion: 'v3' });
    expect(res.status).toBe(200);
  });
});
