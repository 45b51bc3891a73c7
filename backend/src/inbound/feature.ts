// Inbound LINE events: the webhook that stores them, the job that gives each its own job, and that job.
import type { Feature } from '../feature.ts';
import { purgeProcessedEvents } from './event-retention.ts';
import { inboundDispatchJob } from './dispatch-job.ts';
import { inboundEventJob } from './inbound-event-job.ts';
import { lineWebhookRoutes } from './webhook-route.ts';

export const inboundFeature: Feature = {
  name: 'inbound',
  routes: lineWebhookRoutes,
  jobs: [inboundDispatchJob, inboundEventJob],
  purges: (ctx) => ({ 'processed webhook events': (olderThanMs) => purgeProcessedEvents(ctx, olderThanMs) }),
};
