// Turns stored webhook deliveries into events and their inbound.event jobs, before each claim of a worker.
// The webhook writes one row per delivery (one statement, where a row per event, and before that a job row
// per event, made the acknowledgement pay for every event). Here, in two steps, each one transaction:
// - unpacking: waiting deliveries, in the order they were stored, become inbound_events rows (a redelivered
//   event is a no-op, unique on webhook_event_id) and are deleted;
// - dispatching: the events waiting with dispatched_at empty get one job each in their chat's partition,
//   keyed by webhookEventId, and are marked dispatched.
// A crash between or inside the steps leaves the rows waiting for the next run; run twice (two workers) an
// event is stored once and gets one job.
import type { AppContext } from '../context.ts';
import { inboundPartitionKey } from '../conversation/chat-partition.ts';
import { dialectOf, nowMs } from '../db/database.ts';
import type { Knex } from 'knex';
import { jobOf } from '../jobs/define-job.ts';
import { inboundEventJob } from './inbound-event-job.ts';
import { chatIdOf, checkWebhookBody } from './webhook-body.ts';

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

/**
 * Deliveries unpacked per transaction: typically a few events each. A body may be as large as the webhook
 * accepts (1 MB), so this also bounds the memory one unpack holds (25 MB at worst).
 */
const UNPACK_BATCH = 25;
/** Event rows per insert statement: 11 values each, well inside both engines' limit on bound values. */
const EVENT_ROWS_PER_INSERT = 500;

interface StoredDelivery {
  id: number | string;
  portal_id: number | string;
  line_account_id: number | string;
  body: string;
  received_at: number | string;
}

/** The inbound_events rows of a delivery; its payload is each event as LINE sent it, as JSON. */
function eventRows(delivery: StoredDelivery, log: AppContext['logger']): Array<Record<string, unknown>> {
  let checked: ReturnType<typeof checkWebhookBody> | undefined;
  try {
    checked = checkWebhookBody(JSON.parse(delivery.body));
  } catch {
    checked = undefined;
  }
  // The webhook checked the body before storing it: this is only reached by a body stored otherwise.
  if (!checked || 'problems' in checked) {
    log.warn({ deliveryId: Number(delivery.id), accountId: Number(delivery.line_account_id) }, 'dropped a stored LINE webhook delivery that is not a webhook body');
    return [];
  }
  return checked.body.events.map((event) => ({
    webhook_event_id: event.webhookEventId,
    portal_id: Number(delivery.portal_id),
    line_account_id: Number(delivery.line_account_id),
    type: event.type,
    mode: event.mode ?? null,
    chat_id: chatIdOf(event) ?? null,
    line_user_id: event.source?.userId ?? null,
    is_redelivery: event.deliveryContext?.isRedelivery === true,
    payload: JSON.stringify(event),
    event_timestamp: event.timestamp,
    received_at: Number(delivery.received_at),
  }));
}

async function lockDispatch(trx: Knex.Transaction): Promise<void> {
  if (dialectOf(trx) === 'postgres') await trx.raw('select pg_advisory_xact_lock(?)', [DISPATCH_LOCK]);
}

/** Unpacks, in one transaction, at most `limit` waiting deliveries stored after `afterId`, but not `skipped`; answers their ids. */
async function unpackBatch(ctx: Pick<AppContext, 'db' | 'logger'>, afterId: number, limit: number, skipped: number[]): Promise<number[]> {
  return ctx.db.transaction(async (trx) => {
    await lockDispatch(trx);
    const waiting = trx('inbound_deliveries').where('id', '>', afterId);
    if (skipped.length) waiting.whereNotIn('id', skipped);
    const deliveries = (await waiting.orderBy('id').limit(limit).select('id', 'portal_id', 'line_account_id', 'body', 'received_at')) as StoredDelivery[];
    const rows = deliveries.flatMap((delivery) => eventRows(delivery, ctx.logger));
    for (let i = 0; i < rows.length; i += EVENT_ROWS_PER_INSERT) {
      await trx('inbound_events').insert(rows.slice(i, i + EVENT_ROWS_PER_INSERT)).onConflict('webhook_event_id').ignore();
    }
    if (deliveries.length) await trx('inbound_deliveries').whereIn('id', deliveries.map((d) => d.id)).delete();
    return deliveries.map((d) => Number(d.id));
  });
}

/** A delivery that could not be unpacked is tried again after this, then after twice as long each time, up to an hour. */
const RETRY_FIRST_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;
/** Per database, in this process: the deliveries that failed alone, when each is tried next and the wait after that. */
const failing = new WeakMap<Knex, Map<number, { nextAt: number; waitMs: number }>>();

/**
 * Unpacks every waiting delivery into its events; resolves with how many deliveries were unpacked. A delivery
 * whose events cannot be stored must not hold up those behind it: a batch that fails is tried again one
 * delivery at a time, and a delivery that fails alone is reported and left waiting, skipped by this process
 * for a minute, then for twice as long after each failure (up to an hour).
 */
export async function unpackDeliveries(ctx: Pick<AppContext, 'db' | 'logger'>, now: () => number = Date.now): Promise<number> {
  if (!(await ctx.db('inbound_deliveries').first('id'))) return 0;
  let retries = failing.get(ctx.db);
  if (!retries) failing.set(ctx.db, (retries = new Map()));
  const skipped = [...retries].filter(([, retry]) => retry.nextAt > now()).map(([id]) => id);
  let unpacked = 0;
  let afterId = 0;
  let limit = UNPACK_BATCH;
  for (;;) {
    let taken: number[];
    try {
      taken = await unpackBatch(ctx, afterId, limit, skipped);
    } catch (error) {
      if (limit > 1) {
        limit = 1;
        continue;
      }
      // Reading the delivery that failed alone tells a delivery that cannot be stored from a database that
      // cannot be reached (which fails this read too, and the whole run with it).
      const waiting = ctx.db('inbound_deliveries').where('id', '>', afterId);
      if (skipped.length) waiting.whereNotIn('id', skipped);
      const failed = await waiting.orderBy('id').first('id', 'line_account_id');
      if (!failed) return unpacked;
      const id = Number(failed.id);
      const waitMs = Math.min(RETRY_MAX_MS, (retries.get(id)?.waitMs ?? RETRY_FIRST_MS / 2) * 2);
      retries.set(id, { nextAt: now() + waitMs, waitMs });
      ctx.logger.error({ err: error, deliveryId: id, accountId: Number(failed.line_account_id), retryInMs: waitMs }, 'could not unpack a stored LINE webhook delivery: it waits to be tried again');
      afterId = id;
      continue;
    }
    for (const id of taken) retries.delete(id);
    unpacked += taken.length;
    if (taken.length < limit) return unpacked;
    afterId = taken[taken.length - 1];
    limit = UNPACK_BATCH;
  }
}

/** Unpacks every waiting delivery, then dispatches every waiting event; resolves with how many events got their job. */
export async function dispatchStoredEvents(ctx: Pick<AppContext, 'db' | 'queue' | 'logger'>): Promise<number> {
  await unpackDeliveries(ctx);
  let dispatched = 0;
  // Most calls (one before each claim) find nothing: a look at the partial index, without a transaction or lock.
  if (!(await ctx.db('inbound_events').whereNull('dispatched_at').first('id'))) return 0;
  for (;;) {
    const count = await ctx.db.transaction(async (trx) => {
      await lockDispatch(trx);
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
