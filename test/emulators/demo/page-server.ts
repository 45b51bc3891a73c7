// The demo page's own small server, started only by `npm run demo` (the production backend never serves
// it): the page's files, and the two relays that let the page play a HubSpot user (signed calls to the
// real backend) and a LINE user (the LINE emulator's control routes). Who can call it: a browser on this
// machine, on this page (loopback, Host and Origin checked); it listens on 127.0.0.1 unless told otherwise.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { HubSpotEmulator } from '../hubspot/index.ts';
import { loopbackOnly } from '../loopback-only.ts';
import { hubspotRelay } from './hubspot-relay.ts';
import { lineRelay } from './line-relay.ts';
import { localBrowserOnly } from './local-browser-only.ts';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

export interface DemoPageOptions {
  port: number;
  /** Default 127.0.0.1; tests bind another interface to see non-loopback callers refused. */
  host?: string;
  backendUrl: string;
  hubspot: HubSpotEmulator;
  portalId: number;
  lineUrl: string;
  channelId: string;
  firstUser: { userId: string; displayName: string };
}

export interface DemoPage {
  url: string;
  close(): Promise<void>;
}

/** Only the page's own files, the backend's media and LINE's sticker images: nothing else runs or loads. */
function contentSecurityPolicy(backendUrl: string): string {
  return `default-src 'self'; img-src 'self' data: ${new URL(backendUrl).origin} https://stickershop.line-scdn.net; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export async function startDemoPage(o: DemoPageOptions): Promise<DemoPage> {
  const app = express();
  app.disable('x-powered-by');
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(o.port, o.host ?? '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  app.use(loopbackOnly, localBrowserOnly(port));
  app.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': contentSecurityPolicy(o.backendUrl), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    next();
  });
  app.use('/hubspot', hubspotRelay({ hubspot: o.hubspot, backendUrl: o.backendUrl, portalId: o.portalId }));
  app.use('/line', lineRelay({ lineUrl: o.lineUrl, channelId: o.channelId, firstUser: o.firstUser }));
  app.use(express.static(PAGE_DIR));
  app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Malformed or oversized JSON is the caller's (400, 413); anything else is an emulator that did not answer.
    if (error.status && error.status < 500) return void res.status(error.status).json({ message: error.message });
    res.status(502).json({ message: `an emulator did not answer: ${error.message}` });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The chat's held update requests would keep the server open for up to 10 s.
        server.closeAllConnections();
      }),
  };
}
