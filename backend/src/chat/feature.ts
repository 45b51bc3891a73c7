// The chat feature (issue 7): the LINE card's data and the 1:1 chat panel's API under /api/contacts, and templates.
import { Router } from 'express';
import type { Feature } from '../features.ts';
import { SYNC_LINK_JOB, syncLinkJob } from '../contacts/sync-link-job.ts';
import { messageRoutes } from './message-routes.ts';
import { statusRoutes } from './status-routes.ts';
import { templateRoutes } from './template-routes.ts';

export const chatFeature: Feature = {
  name: 'chat',
  routes: (ctx) => Router().use(statusRoutes(ctx), messageRoutes(ctx), templateRoutes(ctx)),
  jobs: (ctx) => ({ [SYNC_LINK_JOB]: syncLinkJob(ctx) }),
};
