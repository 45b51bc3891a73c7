// The job that applies one HubSpot webhook event to the stored LINE links.
import type { AppContext } from '../context.ts';
import { parseLinePropertyName } from '../accounts/property-names.ts';
import { defineJob } from '../jobs/define-job.ts';
import { webhookEvent, type WebhookEvent } from './events.ts';
import { eraseContactData, linkFromProperty, moveLinksToMergedContact, unlinkDeletedContact } from './contact-links.ts';

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

export const hubspotWebhookEventJob = defineJob({
  type: 'hubspot.webhook-event',
  payload: webhookEvent,
  async run(ctx: AppContext, job) {
    const event = job.payload;
    const result = await applyWebhookEvent(ctx, event);
    ctx.logger.info({ portalId: event.portalId, eventId: event.eventId, type: event.subscriptionType, result }, 'HubSpot webhook event applied');
  },
});
