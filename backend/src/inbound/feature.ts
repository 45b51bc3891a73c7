// Inbound LINE events: the webhook that stores them, the dispatch that gives each its job, and that job.
import type { Feature } from '../feature.ts';
import { purgeProcessedEvents } from './event-retention.ts';
import { dispatchStoredEvents } from './event-dispatch.ts';
import { inboundEventJob } from './inbound-event-job.ts';
import { lineWebhookRoute } from './webhook-route.ts';

export const inboundFeature: Feature = {
  name: 'inbound',
  fastRoutes: (ctx) => [lineWebhookRoute(ctx)],
  jobs: [inboundEventJob],
  feeds: (ctx) => ({ 'stored webhook events': () => dispatchStoredEvents(ctx) }),
  purges: (ctx) => ({ 'processed webhook events': (olderThanMs) => purgeProcessedEvents(ctx, olderThanMs) }),
};
