// The LINE Login feature: customers link their LINE account to their contact by logging in with LINE
// (web login or LIFF), from the login URL or its QR code; plus the sample page for LINE's email permission.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { callbackRoutes } from './callback-route.ts';
import { liffRoutes } from './liff-routes.ts';
import { loginLinkJob } from './link-job.ts';
import { qrRoutes } from './qr-routes.ts';
import { sampleRoutes } from './sample-page.ts';
import { startRoutes } from './start-route.ts';

export const lineLoginFeature: Feature = {
  name: 'line-login',
  // The fixed sub-paths first, so /line/login/:loginKey never takes them for a key.
  routes: (ctx) => Router().use(qrRoutes(ctx), sampleRoutes(ctx), callbackRoutes(ctx), liffRoutes(ctx), startRoutes(ctx)),
  jobs: [loginLinkJob],
};
