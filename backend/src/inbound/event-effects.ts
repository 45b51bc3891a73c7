// What handling one event changed locally, and what it asks of the HubSpot side of the batch.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import type { WebhookEvent } from './webhook-body.ts';

export interface EventEffect {
  outcome: 'handled' | 'skipped';
  /** The 1:1 LINE user whose contact properties may have changed. */
  lineUserId?: string;
  /** 'create': find the contact, or create one when the account auto-creates; 'find': link or search only. */
  contact?: 'create' | 'find';
  /** Fetch the LINE profile now even if it was refreshed today (a new friend). */
  refreshProfile?: boolean;
  /** messages.id of messages to put on the timeline. */
  timelineMessageIds?: number[];
  /** A message of the current timeline session changed (unsent, edited): re-render the session note. */
  rerenderNote?: boolean;
}

export interface StoredEvent {
  id: number;
  webhookEventId: string;
  event: WebhookEvent;
}

export type EventHandler = (ctx: AppContext, account: LineAccount, stored: StoredEvent) => Promise<EventEffect>;

export const skipped = (lineUserId?: string): EventEffect => ({ outcome: 'skipped', lineUserId });
