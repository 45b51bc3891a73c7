// Gives stored webhook events their inbound.event jobs. The webhook writes only the events (one statement
// for a delivery, where a job row per event, or even one per write, made every delivery a transaction of
// several round trips to the database); each one waits with dispatched_at empty. Before each claim a
// worker takes the waiting events in the order they were stored, enqueues one job per event in its chat's
// partition, and marks them dispatched, in one transaction: an event is never left without its job, and
// run twice (two workers, a crash before the commit) it gets one job, keyed by its webhookEventId.
import type { AppContext } from '../context.ts';
import { inboundPartitionKey } from '../conversation/chat-partition.ts';
import { dialectOf, nowMs } from '../db/database.ts';
import { jobOf } from '../jobs/define-job.ts';
import { inboundEventJob } from './inbound-event-job.ts';

/** Events dispatched per transaction; more wait for the next one, at once. */
const DISPATCH_BATCH = 500;
/** PostgreSQL advisory lock held by the dispatching transaction, so that the jobs of several workers' dispatches do not interleave. */
const DISPATCH_LOCK = 0x4c_46_48_01;

interface Waiting {
  id: number | string;
  webhook_event_id: string;
  portal_id: number | string;
  line_account_id: number | string;
  chat_id: string | null;
}

/** Dispatches every waiting event; resolves with how many got their job. */
export async function dispatchStoredEvents(ctx: Pick<AppContext, 'db' | 'queue'>): Promise<number> {
  let dispatched = 0;
  // Most calls (one before each claim) find nothing: a look at the partial index, without a transaction or lock.
  if (!(await ctx.db('inbound_events').whereNull('dispatched_at').first('id'))) return 0;
  for (;;) {
    const count = await ctx.db.transaction(async (trx) => {
      if (dialectOf(ctx.db) === 'postgres') await trx.raw('select pg_advisory_xact_lock(?)', [DISPATCH_LOCK]);
      const waiting = (await trx('inbound_events')
        .whereNull('dispatched_at')
        .orderBy('id')
        .limit(DISPATCH_BATCH)
        .select('id', 'webhook_event_id', 'portal_id', 'line_account_id', 'chat_id')) as Waiting[];
      if (waiting.length === 0) return 0;
      const jobs = waiting.map((row) =>
        jobOf(inboundEventJob, { webhookEventId: row.webhook_event_id }, {
          partitionKey: inboundPartitionKey(Number(row.line_account_id), row.chat_id ?? undefined),
          dedupeKey: `inbound.event:${row.webhook_event_id}`,
          portalId: Number(row.portal_id),
          lineAccountId: Number(row.line_account_id),
        }),
      );
      await ctx.queue.enqueueMany(jobs, trx);
      await trx('inbound_events')
        .whereIn('id', waiting.map((row) => row.id))
        .update({ dispatched_at: nowMs() });
      return waiting.length;
    });
    dispatched += count;
    if (count < DISPATCH_BATCH) return dispatched;
  }
}
