// The body of a HubSpot webhook delivery: an array of events (up to 100 per request). Fields beyond the
// ones used here are kept (passthrough) and unknown subscription types are accepted and ignored, since
// HubSpot adds both over time.
import { z } from 'zod';

const id = z.number().int().positive();

export const webhookEvent = z
  .object({
    eventId: id,
    subscriptionId: z.number().int().optional(),
    portalId: id,
    appId: z.number().int().optional(),
    occurredAt: z.number().int().nonnegative(),
    subscriptionType: z.string().min(1).max(100),
    attemptNumber: z.number().int().nonnegative().optional(),
    objectId: id,
    changeSource: z.string().optional(),
    propertyName: z.string().max(100).optional(),
    propertyValue: z.string().max(65_536).optional(),
    mergedObjectIds: z.array(id).max(250).optional(),
    primaryObjectId: id.optional(),
    newObjectId: id.optional(),
  })
  .passthrough();

export const webhookDelivery = z.array(webhookEvent).min(1).max(1000);

export type WebhookEvent = z.infer<typeof webhookEvent>;

/** The subscriptions this app handles (src/app/webhooks/webhooks-hsmeta.json subscribes to these). */
export const HANDLED_SUBSCRIPTIONS = ['contact.deletion', 'contact.merge', 'contact.privacyDeletion', 'contact.propertyChange'] as const;

export function isHandled(event: WebhookEvent): boolean {
  return (HANDLED_SUBSCRIPTIONS as readonly string[]).includes(event.subscriptionType);
}
