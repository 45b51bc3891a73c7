// inbound.event { webhookEventId }: enqueued with each stored webhook event. Batched: up to 100 due events
// (at most one per chat, so each user's events stay in order), processed per account, failures per job.
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { jobErrorFor } from '../hubspot/portal-client.ts';
import { RetryJobError } from '../jobs/job-errors.ts';
import { z } from 'zod';
import { defineJob } from '../jobs/define-job.ts';
import type { StoredEvent } from './event-effects.ts';
import { processAccountEvents } from './process-events.ts';
import type { WebhookEvent } from './webhook-body.ts';

export const INBOUND_BATCH_SIZE = 100;

type Row = Record<string, unknown>;

export const inboundEventJob = defineJob({
  type: 'inbound.event',
  payload: z.object({ webhookEventId: z.string().min(1) }),
  batchSize: INBOUND_BATCH_SIZE,
  async runBatch(ctx: AppContext, jobs) {
    const jobsByEvent = new Map(jobs.map((job) => [job.payload.webhookEventId, job]));
    // A processed event (its job ran again after a crash) has nothing left to do, and no payload left.
    const rows: Row[] = await ctx.db('inbound_events').whereIn('webhook_event_id', [...jobsByEvent.keys()]).whereNull('processed_at');
    const byAccount = new Map<number, StoredEvent[]>();
    const portalOf = new Map<number, number>();
    for (const row of rows) {
      portalOf.set(Number(row.line_account_id), Number(row.portal_id));
      const list = byAccount.get(Number(row.line_account_id)) ?? [];
      list.push({ id: Number(row.id), webhookEventId: String(row.webhook_event_id), event: JSON.parse(String(row.payload)) as WebhookEvent });
      byAccount.set(Number(row.line_account_id), list);
    }
    const failures = new Map<number, unknown>();
    for (const [accountId, events] of byAccount) {
      const account = await findAccount(ctx, portalOf.get(accountId)!, accountId);
      if (!account) continue; // disconnected meanwhile: its events are gone with it
      const outcome = await processAccountEvents(ctx, account, events);
      for (const stored of events) {
        const job = jobsByEvent.get(stored.webhookEventId)!;
        const error = outcome.failed.get(stored.webhookEventId);
        const user = stored.event.source?.userId;
        if (error !== undefined) failures.set(job.id, jobErrorFor(error));
        else if (user && outcome.deferredUsers.has(user)) {
          failures.set(job.id, new RetryJobError('waiting for HubSpot search to see a contact created moments ago', { delayMs: ctx.config.timings.contacts.searchRecheckMs, countAttempt: false }));
        }
      }
    }
    return failures;
  },
});
