// The company card's API (the LINE group linked to a company, and its chat panel) under /api/companies.
import type { Feature } from '../feature.ts';
import { groupPortalsChangedSince } from '../groups/group-messages.ts';
import { groupChatRoutes } from './routes.ts';

export const groupChatFeature: Feature = {
  name: 'group-chat',
  routes: groupChatRoutes,
  // Group messages a worker process stores reach this process's waiting panels through the shared slow poll.
  onStart: async (ctx) => ctx.changes.pollOtherProcesses([(since) => groupPortalsChangedSince(ctx, since)], ctx.config.timings.chat.otherProcessPollMs),
};
