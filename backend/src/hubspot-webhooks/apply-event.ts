// The job that applies one HubSpot webhook event to the stored LINE links, once HubSpot confirms it.
import type { AppContext } from '../context.ts';
import { parseLinePropertyName } from '../properties/property-names.ts';
import { jobErrorFor } from '../hubspot/portal-client.ts';
import { defineJob } from '../jobs/define-job.ts';
import { webhookEvent, type WebhookEvent } from './events.ts';
import { applyDeletion, applyPrivacyDeletion } from './deletions.ts';
import { applyLineUserIdChange } from './line-user-id-change.ts';
import { applyMerge } from './merge.ts';

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

export const hubspotWebhookEventJob = defineJob({
  type: 'hubspot.webhook-event',
  payload: webhookEvent,
  async run(ctx: AppContext, job) {
    const event = job.payload;
    let result: unknown;
    try {
      result = await applyWebhookEvent(ctx, event);
    } catch (error) {
      // HubSpot unreachable, rate limited or failing: nothing was changed, and the event waits for a retry.
      throw jobErrorFor(error);
    }
    ctx.logger.info({ portalId: event.portalId, eventId: event.eventId, type: event.subscriptionType, result }, 'HubSpot webhook event applied');
  },
});
