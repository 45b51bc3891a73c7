// Inbound LINE events: the webhook that stores them and the job that processes them.
import type { Feature } from '../feature.ts';
import { purgeProcessedEvents } from './event-retention.ts';
import { inboundEventJob } from './inbound-event-job.ts';
import { lineWebhookRoutes } from './webhook-route.ts';

export const inboundFeature: Feature = {
  name: 'inbound',
  routes: lineWebhookRoutes,
  jobs: [inboundEventJob],
  purges: (ctx) => ({ 'processed webhook events': (olderThanMs) => purgeProcessedEvents(ctx, olderThanMs) }),
};
