// The job that applies one HubSpot webhook event to the stored LINE links, once HubSpot confirms it.
import type { AppContext } from '../context.ts';
import { parseLinePropertyName } from '../accounts/property-names.ts';
import { jobErrorFor } from '../hubspot/portal-client.ts';
import { PermanentJobError } from '../jobs/job-errors.ts';
import type { SingleJobHandler } from '../jobs/worker.ts';
import { webhookEvent, type WebhookEvent } from './events.ts';
import { applyDeletion, applyPrivacyDeletion } from './deletions.ts';
import { applyLineUserIdChange } from './line-user-id-change.ts';
import { applyMerge } from './merge.ts';

export const HUBSPOT_WEBHOOK_EVENT_JOB = 'hubspot.webhook-event';

export async function applyWebhookEvent(ctx: AppContext, event: WebhookEvent): Promise<unknown> {
  switch (event.subscriptionType) {
    case 'contact.deletion':
      return applyDeletion(ctx, event);
    case 'contact.merge':
      return applyMerge(ctx, event);
    case 'contact.privacyDeletion':
      return applyPrivacyDeletion(ctx, event);
    case 'contact.propertyChange': {
      const name = event.propertyName ?? '';
      const property = parseLinePropertyName(name);
      if (property?.base !== 'line_user_id') return { ignored: `property ${name || '(none)'}` };
      return { outcome: await applyLineUserIdChange(ctx, event, name, property.sequence) };
    }
    default:
      return { ignored: event.subscriptionType };
  }
}

export function hubspotWebhookEventJob(ctx: AppContext): SingleJobHandler {
  return {
    async run(job) {
      const event = webhookEvent.safeParse(job.payload);
      if (!event.success) throw new PermanentJobError(`invalid HubSpot webhook event: ${event.error.message}`);
      let result: unknown;
      try {
        result = await applyWebhookEvent(ctx, event.data);
      } catch (error) {
        // HubSpot unreachable, rate limited or failing: nothing was changed, and the event waits for a retry.
        throw jobErrorFor(error, job.attempts);
      }
      ctx.logger.info({ portalId: event.data.portalId, eventId: event.data.eventId, type: event.data.subscriptionType, result }, 'HubSpot webhook event applied');
    },
  };
}
