// How long webhook events stay stored. The payload goes as soon as an event is processed (see
// process-events.ts); the row stays a while longer because its unique webhook_event_id is what makes a
// redelivery from LINE a no-op, then it goes too. Unprocessed events (waiting, or dead-lettered until
// someone retries them) keep both.
import type { AppContext } from '../context.ts';

/** Deletes events processed more than `olderThanMs` before `now`; returns how many. */
export async function purgeProcessedEvents(ctx: AppContext, olderThanMs: number, now = Date.now()): Promise<number> {
  return ctx.db('inbound_events').where('processed_at', '<', now - olderThanMs).delete();
}
