// An event HubSpot does not back up changes nothing; the warning says which event and why, so a portal
// receiving forged or stale events can be noticed.
import type { AppContext } from '../context.ts';
import type { WebhookEvent } from './events.ts';

export function notConfirmed(ctx: AppContext, event: WebhookEvent, why: string, details: Record<string, unknown> = {}): { notConfirmed: string } {
  ctx.logger.warn({ portalId: event.portalId, contactId: event.objectId, eventId: event.eventId, type: event.subscriptionType, why, ...details }, 'event not confirmed by HubSpot');
  return { notConfirmed: why };
}
