// inbound.dispatch { eventIds }: enqueued by the webhook with the events it stored, one per account and
// write (not one job per event), so that a delivery's transaction writes the events and one small row.
// A worker then gives each event its inbound.event job in its chat's partition, in the order LINE sent
// them. The dispatches of one account run one at a time, in order, so the chats' jobs are enqueued in the
// order their events were stored. Run again (a worker stopped before marking it done), it enqueues nothing
// twice: each event's job is keyed by its webhookEventId.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { inboundPartitionKey } from '../conversation/chat-partition.ts';
import { defineJob, jobOf } from '../jobs/define-job.ts';
import type { NewJob } from '../jobs/queue.ts';
import { inboundEventJob } from './inbound-event-job.ts';

/** Events named by one dispatch at most: a larger write gets several, in order. */
export const MAX_EVENTS_PER_DISPATCH = 500;

export const inboundDispatchJob = defineJob({
  type: 'inbound.dispatch',
  payload: z.object({ eventIds: z.array(z.number().int().positive()).min(1).max(MAX_EVENTS_PER_DISPATCH) }),
  async run(ctx: AppContext, job) {
    const { eventIds } = job.payload;
    // An event processed already (or gone with its account) needs no job.
    const rows = (await ctx.db('inbound_events').whereIn('id', eventIds).whereNull('processed_at').select('id', 'webhook_event_id', 'portal_id', 'line_account_id', 'chat_id')) as Array<{
      id: number | string;
      webhook_event_id: string;
      portal_id: number | string;
      line_account_id: number | string;
      chat_id: string | null;
    }>;
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    const jobs: NewJob[] = [];
    for (const id of eventIds) {
      const row = byId.get(id);
      if (!row) continue;
      const accountId = Number(row.line_account_id);
      jobs.push(
        jobOf(inboundEventJob, { webhookEventId: row.webhook_event_id }, {
          partitionKey: inboundPartitionKey(accountId, row.chat_id ?? undefined),
          dedupeKey: `inbound.event:${row.webhook_event_id}`,
          portalId: Number(row.portal_id),
          lineAccountId: accountId,
        }),
      );
    }
    await ctx.queue.enqueueMany(jobs);
  },
});

/** The dispatches of a write: per account, its new events' ids in the order they were sent, at most MAX_EVENTS_PER_DISPATCH each. */
export function dispatchJobsOf(newEvents: ReadonlyArray<{ id: number; accountId: number; portalId: number }>): NewJob[] {
  const byAccount = new Map<number, { portalId: number; ids: number[] }>();
  for (const e of newEvents) {
    const entry = byAccount.get(e.accountId) ?? { portalId: e.portalId, ids: [] };
    entry.ids.push(e.id);
    byAccount.set(e.accountId, entry);
  }
  const jobs: NewJob[] = [];
  for (const [accountId, { portalId, ids }] of byAccount) {
    for (let i = 0; i < ids.length; i += MAX_EVENTS_PER_DISPATCH) {
      jobs.push(
        jobOf(inboundDispatchJob, { eventIds: ids.slice(i, i + MAX_EVENTS_PER_DISPATCH) }, { partitionKey: `inbound-dispatch:${accountId}`, portalId, lineAccountId: accountId }),
      );
    }
  }
  return jobs;
}
