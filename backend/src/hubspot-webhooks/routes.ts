// POST /hubspot/webhooks: HubSpot's deliveries. Refuse what a hubspot.fetch call looks like (same client
// secret signs both), verify the v3 signature, validate the body, store one job per event (deduplicated on
// portal + eventId, so redeliveries are no-ops) and answer at once; the worker applies them.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { badRequest, fieldProblems } from '../http/errors.ts';
import { knownPortalIds } from '../hubspot/portals.ts';
import { refuseHubSpotFetchCalls, requireHubSpotSignature } from '../hubspot/signed-requests.ts';
import { isHandled, webhookDelivery } from './events.ts';
import { jobOf } from '../jobs/define-job.ts';
import { hubspotWebhookEventJob } from './apply-event.ts';

export function hubspotWebhookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/hubspot/webhooks', refuseHubSpotFetchCalls(), requireHubSpotSignature(ctx), async (req, res) => {
    const parsed = webhookDelivery.safeParse(req.body);
    if (!parsed.success) throw badRequest('Expected a JSON array of HubSpot webhook events', fieldProblems(parsed.error).slice(0, 10));
    const events = parsed.data.filter(isHandled);
    const portalIds = [...new Set(events.map((e) => e.portalId))];
    // Events of portals that are not installed here (stale subscriptions) are acknowledged and dropped.
    const installed = await knownPortalIds(ctx.db, portalIds);
    const jobs = events
      .filter((e) => installed.has(e.portalId))
      .sort((a, b) => a.occurredAt - b.occurredAt)
      .map((event) =>
        jobOf(hubspotWebhookEventJob, event, {
          portalId: event.portalId,
          // One contact's events apply one at a time, in the order they happened.
          partitionKey: `hubspot-contact:${event.portalId}:${event.objectId}`,
          dedupeKey: `hubspot-webhook:${event.portalId}:${event.eventId}`,
        }),
      );
    await ctx.queue.enqueueMany(jobs);
    req.log.debug({ received: parsed.data.length, queued: jobs.length }, 'HubSpot webhook delivery accepted');
    res.status(204).end();
  });
  return router;
}
