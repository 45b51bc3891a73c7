// Inbound LINE events and what hangs off them: the webhook, event processing, media downloads and
// serving, and the answered-conversation job the chat feature enqueues.
import { Router } from 'express';
import type { Feature } from '../features.ts';
import { OUTBOUND_SENT_JOB, outboundSentJob } from '../conversation/outbound-sent-job.ts';
import { fetchMediaJob } from '../media/fetch-media-job.ts';
import { MEDIA_FETCH_JOB } from '../media/media-jobs.ts';
import { mediaRoutes } from '../media/media-route.ts';
import { purgeProcessedEvents } from './event-retention.ts';
import { inboundEventJob } from './inbound-event-job.ts';
import { INBOUND_EVENT_JOB } from './jobs.ts';
import { lineWebhookRoutes } from './webhook-route.ts';

export const inboundFeature: Feature = {
  name: 'inbound',
  routes: (ctx) => Router().use(lineWebhookRoutes(ctx), mediaRoutes(ctx)),
  jobs: (ctx) => ({
    [INBOUND_EVENT_JOB]: inboundEventJob(ctx),
    [MEDIA_FETCH_JOB]: fetchMediaJob(ctx),
    [OUTBOUND_SENT_JOB]: outboundSentJob(ctx),
  }),
  purges: (ctx) => ({ 'processed webhook events': (olderThanMs) => purgeProcessedEvents(ctx, olderThanMs) }),
};
