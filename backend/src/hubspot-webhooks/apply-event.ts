// The job that applies one HubSpot webhook event to the stored LINE links.
import type { AppContext } from '../context.ts';
import { parseLinePropertyName } from '../accounts/property-names.ts';
import { PermanentJobError } from '../jobs/job-errors.ts';
import type { SingleJobHandler } from '../jobs/worker.ts';
import { webhookEvent, type WebhookEvent } from './events.ts';
import { eraseContactData, linkFromProperty, moveLinksToMergedContact, unlinkDeletedContact } from './contact-links.ts';

export const HUBSPOT_WEBHOOK_EVENT_JOB = 'hubspot.webhook-event';

export async function applyWebhookEvent(ctx: AppContext, event: WebhookEvent): Promise<unknown> {
  const { portalId, objectId } = event;
  switch (event.subscriptionType) {
    case 'contact.deletion':
      return { unlinked: await unlinkDeletedContact(ctx, portalId, objectId) };
    case 'contact.merge': {
      const survivor = event.newObjectId ?? event.primaryObjectId ?? objectId;
      const merged = [...new Set([...(event.mergedObjectIds ?? []), objectId, ...(event.primaryObjectId ? [event.primaryObjectId] : [])])];
      return { moved: await moveLinksToMergedContact(ctx, portalId, merged, survivor) };
    }
    case 'contact.privacyDeletion':
      return { deleted: await eraseContactData(ctx, portalId, objectId) };
    case 'contact.propertyChange': {
      const property = event.propertyName ? parseLinePropertyName(event.propertyName) : undefined;
      if (property?.base !== 'line_user_id') return { ignored: `property ${event.propertyName ?? '(none)'}` };
      return { outcome: await linkFromProperty(ctx, portalId, property.sequence, objectId, event.propertyValue) };
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
      const result = await applyWebhookEvent(ctx, event.data);
      ctx.logger.info({ portalId: event.data.portalId, eventId: event.data.eventId, type: event.data.subscriptionType, result }, 'HubSpot webhook event applied');
    },
  };
}
