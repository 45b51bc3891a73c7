// The accounts feature: the settings page's /api/accounts API and the public QR code of each login link.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { loginQrRoutes } from './login-qr-route.ts';
import { accountRoutes } from './routes.ts';

export const accountsFeature: Feature = {
  name: 'accounts',
  routes: (ctx) => Router().use(accountRoutes(ctx), loginQrRoutes(ctx)),
};
