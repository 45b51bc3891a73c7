// The LINE card's data and the 1:1 chat panel's API under /api/contacts.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { messageRoutes } from './message-routes.ts';
import { statusRoutes } from './status-routes.ts';

export const chatFeature: Feature = {
  name: 'chat',
  routes: (ctx) => Router().use(statusRoutes(ctx), messageRoutes(ctx)),
};
