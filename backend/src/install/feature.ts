// The HubSpot app's install: OAuth install and callback, the portal's status and disconnect for the
// settings page, the erase of a portal whose tokens HubSpot refused, and the daily install check.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { eraseRefusedPortalJob } from './erase-refused-portal-job.ts';
import { checkInstallsJob } from './install-check-job.ts';
import { installRoutes } from './install-routes.ts';
import { portalRoutes } from './portal-routes.ts';

export const installFeature: Feature = {
  name: 'install',
  routes: (ctx) => Router().use(installRoutes(ctx), portalRoutes(ctx)),
  jobs: [eraseRefusedPortalJob, checkInstallsJob],
};
