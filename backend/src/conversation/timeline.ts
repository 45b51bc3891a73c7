// Puts messages on the contact timeline as the account's timeline_mode says: app events when the
// portal has the app's event types, otherwise (or when HubSpot says it has none) notes.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { appEventsUnavailableUntil, markAppEventsUnavailable } from '../hubspot/portals.ts';
import { AppEventsUnavailableError, sendAppEvents } from './timeline-app-events.ts';
import { writeNotes, type NoteItem } from './timeline-notes.ts';

/** After HubSpot said "no such event type", notes are used for this long before app events are tried again. */
export const APP_EVENTS_RECHECK_MS = 6 * 60 * 60 * 1000;

async function appEventsAvailable(ctx: AppContext, portalId: number): Promise<boolean> {
  if (!ctx.config.HUBSPOT_APP_ID) return false;
  const until = await appEventsUnavailableUntil(ctx.db, portalId);
  return until === null || until <= nowMs();
}

export async function logOnTimeline(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, items: NoteItem[]): Promise<void> {
  if (account.timelineMode === 'off' || items.length === 0) return;
  if (account.timelineMode === 'app_events' && (await appEventsAvailable(ctx, account.portalId))) {
    const events = items.flatMap((item) => item.messages.map((message) => ({ contactId: item.link.contactId, message })));
    try {
      await sendAppEvents(ctx, hs, account, events);
      return;
    } catch (error) {
      if (!(error instanceof AppEventsUnavailableError)) throw error;
      ctx.logger.warn({ portalId: account.portalId, err: error }, 'portal has no LINE app event types: logging conversations as notes');
      await markAppEventsUnavailable(ctx.db, account.portalId, nowMs() + APP_EVENTS_RECHECK_MS);
    }
  }
  await writeNotes(ctx, hs, account, items);
}
