// Persists verified webhook events: once LINE gets its 200, every event is durable and will be processed
// (a worker gives it its job: event-dispatch.ts); a redelivered event is a no-op (unique webhook_event_id).
//
// Deliveries that arrive while a write is in progress are written together in the next write (group
// commit): one write per burst instead of one per request, which is what lets a single SQLite connection
// accept well over a thousand events per second. No delivery waits for a timer.
// The write is a direct one (db/direct-transaction.ts): its statements go to the driver as written, without
// Knex's per-transaction and per-query objects. Most writes are the events' insert alone; a write that also
// touches accounts or needs several inserts is a transaction.
import type { AppContext } from '../context.ts';
import { touchLastEvent, type LineAccount } from '../accounts/repository.ts';
import { isForeignKeyViolation } from '../db/constraint-errors.ts';
import { nowMs } from '../db/database.ts';
import { inDirectWrite, insertStatementCount, type DirectConnection, type SqlValue } from '../db/direct-transaction.ts';
import { notFound } from '../http/errors.ts';
import { chatIdOf, type WebhookEvent } from './webhook-body.ts';

interface PendingDelivery {
  account: LineAccount;
  events: WebhookEvent[];
  resolve(stored: number): void;
  reject(error: unknown): void;
}

/** An inbound_events row as stored on arrival; its payload is the event as LINE sent it, stored as JSON. */
type EventRow = Record<Exclude<(typeof EVENT_COLUMNS)[number], 'payload'>, SqlValue> & { payload: WebhookEvent };
const EVENT_COLUMNS = ['webhook_event_id', 'portal_id', 'line_account_id', 'type', 'mode', 'chat_id', 'line_user_id', 'is_redelivery', 'payload', 'event_timestamp', 'received_at'] as const;

/**
 * An account's last_event_at is written at most this often by one process: a statement fewer in most of the
 * webhook's transactions, for a last-event time on the settings page that is at most this much behind.
 */
const TOUCH_INTERVAL_MS = 5_000;

/** Events written in one transaction at most; the rest go in the next one. */
const MAX_EVENTS_PER_COMMIT = 2_000;

export class WebhookEventStore {
  private readonly ctx: AppContext;
  private pending: PendingDelivery[] = [];
  /** When this process last wrote each account's last_event_at. */
  private readonly touchedAt = new Map<number, number>();
  private writing = false;

  constructor(ctx: AppContext) {
    this.ctx = ctx;
  }

  /** Stores the events not seen before; resolves with how many were new once they are committed. */
  store(account: LineAccount, events: WebhookEvent[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ account, events, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length) {
        const batch = this.takeBatch();
        try {
          const results = await this.writeBatch(batch);
          if (results.some((stored) => stored)) this.ctx.queue.wakeWorkers();
          batch.forEach((delivery, i) => {
            const stored = results[i];
            if (stored === undefined) delivery.reject(notFound('Unknown webhook URL'));
            else delivery.resolve(stored);
          });
        } catch (error) {
          for (const delivery of batch) delivery.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * Writes a batch, touching only the accounts not touched for a while. An account removed since then makes
   * the events' foreign key fail: the batch is written again with every account touched, which tells which
   * accounts still exist, so the other accounts' deliveries are stored and the removed one's refused.
   */
  private async writeBatch(batch: PendingDelivery[]): Promise<Array<number | undefined>> {
    try {
      return await this.attempt(batch, false);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      return await this.attempt(batch, true);
    }
  }

  private async attempt(batch: PendingDelivery[], touchAll: boolean): Promise<Array<number | undefined>> {
    const now = nowMs();
    const accounts = [...new Map(batch.map((d) => [d.account.id, { id: d.account.id, portalId: d.account.portalId }])).values()];
    const due = touchAll ? accounts : accounts.filter((a) => (this.touchedAt.get(a.id) ?? -Infinity) + TOUCH_INTERVAL_MS <= now);
    const events = batch.reduce((sum, d) => sum + d.events.length, 0);
    // Most writes are one statement (the events' insert), atomic without a transaction's two more round trips.
    const statements = (due.length ? 1 : 0) + insertStatementCount(this.ctx.db, events, EVENT_COLUMNS.length);
    try {
      return await inDirectWrite(this.ctx.db, statements, (conn) => this.write(conn, batch, due, now));
    } catch (error) {
      // Nothing of this batch was written (a transaction rolled back, or its one statement failed), so the next
      // batch touches its accounts again.
      for (const d of batch) this.touchedAt.delete(d.account.id);
      throw error;
    }
  }

  private takeBatch(): PendingDelivery[] {
    let events = 0;
    let count = 0;
    while (count < this.pending.length && (count === 0 || events + this.pending[count].events.length <= MAX_EVENTS_PER_COMMIT)) {
      events += this.pending[count].events.length;
      count++;
    }
    return this.pending.splice(0, count);
  }

  /** Returns, per delivery, how many of its events were new (undefined when its account no longer exists). */
  private async write(conn: DirectConnection, batch: PendingDelivery[], due: Array<{ id: number; portalId: number }>, now: number): Promise<Array<number | undefined>> {
    // Touching last_event_at also tells which of those accounts still exist: one removed after its webhook
    // was verified takes its deliveries with it (404, nothing stored).
    const existing = due.length ? await touchLastEvent(conn, due, now) : new Set<number>();
    for (const a of due) {
      if (existing.has(a.id)) this.touchedAt.set(a.id, now);
      else this.touchedAt.delete(a.id);
    }
    const gone = new Set(due.filter((a) => !existing.has(a.id)).map((a) => a.id));
    const live = batch.filter((d) => !gone.has(d.account.id));
    const rows: EventRow[] = live.flatMap((d) =>
      d.events.map((event) => ({
        webhook_event_id: event.webhookEventId,
        portal_id: d.account.portalId,
        line_account_id: d.account.id,
        type: event.type,
        mode: event.mode ?? null,
        chat_id: chatIdOf(event) ?? null,
        line_user_id: event.source?.userId ?? null,
        is_redelivery: event.deliveryContext?.isRedelivery === true,
        payload: event,
        event_timestamp: event.timestamp,
        received_at: now,
      })),
    );
    const inserted = new Set<string>();
    if (rows.length) {
      const stored = await conn.insert<{ webhook_event_id: string }>('inbound_events', EVENT_COLUMNS, rows, { json: ['payload'], ignoreConflictOn: 'webhook_event_id', returning: ['webhook_event_id'] });
      for (const r of stored) inserted.add(r.webhook_event_id);
    }
    const newEvents = new Map<PendingDelivery, number>();
    // delete(): an event repeated within the batch is new only once.
    for (const d of live) newEvents.set(d, d.events.filter((event) => inserted.delete(event.webhookEventId)).length);
    return batch.map((d) => newEvents.get(d));
  }
}
