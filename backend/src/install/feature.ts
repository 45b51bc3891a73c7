// The HubSpot app's install: OAuth install and callback, the portal's status, disconnect and who may change
// its settings (settings page), the erase of a portal whose tokens HubSpot refused, and the daily install check.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { adminRolesRoutes } from './admin-roles-routes.ts';
import { eraseRefusedPortalJob } from './erase-refused-portal-job.ts';
import { checkInstallsJob } from './install-check-job.ts';
import { installRoutes } from './install-routes.ts';
import { portalRoutes } from './portal-routes.ts';

export const installFeature: Feature = {
  name: 'install',
  routes: (ctx) => Router().use(installRoutes(ctx), portalRoutes(ctx), adminRolesRoutes(ctx)),
  jobs: [eraseRefusedPortalJob, checkInstallsJob],
};
