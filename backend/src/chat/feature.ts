// The LINE card's data and the 1:1 chat panel's API under /api/contacts.
import { Router } from 'express';
import type { Feature } from '../feature.ts';
import { portalsChangedSince } from '../conversation/messages.ts';
import { portalsWithLinksChangedSince } from '../contacts/links.ts';
import { messageRoutes } from './message-routes.ts';
import { statusRoutes } from './status-routes.ts';

export const chatFeature: Feature = {
  name: 'chat',
  routes: (ctx) => Router().use(statusRoutes(ctx), messageRoutes(ctx)),
  // What a worker process changes in what the panels show (messages; a block, an unblock or a new contact on
  // the link) reaches this process's waiting panels through one slow poll.
  onStart: async (ctx) =>
    ctx.changes.pollOtherProcesses([(since) => portalsChangedSince(ctx, since), (since) => portalsWithLinksChangedSince(ctx, since)], ctx.config.timings.chat.otherProcessPollMs),
};
