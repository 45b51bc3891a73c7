// The accounts feature: the settings page's /api/accounts API, the public QR code of each login link, and
// the provisioning of the contact properties each connected account writes.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { loginQrRoutes } from './login-qr-route.ts';
import { provisionPropertiesJob } from './provision-properties-job.ts';
import { accountRoutes } from './routes.ts';

export const accountsFeature: Feature = {
  name: 'accounts',
  routes: (ctx) => Router().use(accountRoutes(ctx), loginQrRoutes(ctx)),
  jobs: [provisionPropertiesJob],
};
