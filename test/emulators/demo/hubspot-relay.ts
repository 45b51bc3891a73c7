// The HubSpot side of the demo page: the browser asks, and this relay makes the call as HubSpot would for
// the demo portal's admin: a hubspot.fetch to the backend's /api/..., signed by the HubSpot emulator, so
// the client secret never reaches the browser. What the page can name is what a HubSpot user of that
// portal can: any /api/ route with any body; the portal and user are appended by the emulator, as HubSpot
// appends them. It also lists the portal's contacts through the emulator's control route.
import express, { Router } from 'express';
import type { HubSpotEmulator } from '../hubspot/index.ts';

export function hubspotRelay(o: { hubspot: HubSpotEmulator; backendUrl: string; portalId: number }): Router {
  const r = Router();

  r.get('/contacts', async (_req, res) => {
    const answer = await fetch(`${o.hubspot.baseUrl}/_emulator/portals/${o.portalId}/contacts`);
    res.status(answer.status).json(await answer.json());
  });

  // hubspot.fetch bodies are JSON objects of at most 1 MB.
  r.use('/api', express.json({ limit: '1mb' }), async (req, res) => {
    const target = new URL(`${o.backendUrl}/api${req.url}`);
    // Dot segments (`/api/../oauth/...`) are resolved by URL parsing: what is signed must still be under /api/.
    if (!target.pathname.startsWith('/api/')) {
      return void res.status(400).json({ error: { code: 'not_an_api_path', message: 'the demo relays only the backend’s /api/ routes' } });
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (req.body ?? {});
    try {
      const answer = await o.hubspot.hubspotFetch(target.toString(), { portalId: o.portalId, method: req.method, body });
      res.status(answer.status).type(answer.headers.get('content-type') ?? 'application/json');
      res.send(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      // What the card sees when hubspot.fetch fails without an answer (timeout, backend down).
      res.status(502).json({ error: { code: 'network_error', message: error instanceof Error ? error.message : String(error) } });
    }
  });

  return r;
}
