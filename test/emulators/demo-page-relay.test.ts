// The demo page's HubSpot relay signs calls for the demo portal's admin, so it relays only what a
// hubspot.fetch may reach (permittedUrls.fetch names only the backend's /api/): a path that climbs out of
// /api/ is refused before anything is signed.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './demo/fixtures.ts';
import { startDemoPage, type DemoPage } from './demo/page-server.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from './hubspot/index.ts';

describe('demo page HubSpot relay', () => {
  let hubspot: HubSpotEmulator;
  let page: DemoPage;
  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({ trafficLog: '' });
    hubspot.createPortal({ portalId: DEMO.portalId });
    page = await startDemoPage({ port: 0, backendUrl: 'http://127.0.0.1:9', hubspot, portalId: DEMO.portalId, lineUrl: 'http://127.0.0.1:9', channelId: DEMO.channel.channelId, firstUser: DEMO.user });
  });
  afterAll(async () => {
    await page?.close();
    await hubspot?.close();
  });

  /** Sends the path as written (as `curl --path-as-is` does): fetch would resolve the dot segments first. */
  const rawGet = (path: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      request(`${page.url}`, { path }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
        .on('error', reject)
        .end();
    });

  it('refuses a path that leaves /api/ and signs nothing', async () => {
    for (const path of ['/hubspot/api/../oauth/install', '/hubspot/api/%2e%2e/hubspot/webhooks']) {
      const answer = await rawGet(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.code).toBe('not_an_api_path');
    }
    expect(hubspot.fetches).toEqual([]);
  });
});
