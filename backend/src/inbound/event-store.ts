// Persists verified webhook deliveries: once LINE gets its 200, every event of the delivery is durable and
// will be processed. A delivery is stored as one row, its body as LINE sent it; a worker unpacks it into
// inbound_events and gives each new event its job (event-dispatch.ts), where a redelivered event is a no-op
// (unique webhook_event_id).
//
// Deliveries that arrive in the same turn of the event loop, or while a write is in progress, are written
// together in one write (group commit): one write per burst instead of one per request, which is what lets a
// single SQLite connection accept well over a thousand events per second. The write starts right after the
// turn that read them (setImmediate): SQLite's statements run synchronously (db/node-sqlite-client.ts), so
// a write started by the first request would end before the next one is read. No delivery waits for a timer.
// The write is a direct one (db/direct-transaction.ts): its statements go to the driver as written, without
// Knex's per-transaction and per-query objects. Most writes are the deliveries' insert alone; a write that
// also touches accounts or needs several inserts is a transaction.
import type { AppContext } from '../context.ts';
import { touchLastEvent, type LineAccount } from '../accounts/repository.ts';
import { isForeignKeyViolation } from '../db/constraint-errors.ts';
import { nowMs } from '../db/database.ts';
import { inDirectWrite, insertStatementCount, type DirectConnection, type SqlValue } from '../db/direct-transaction.ts';
import { notFound } from '../http/errors.ts';

interface PendingDelivery {
  account: LineAccount;
  /** The delivery's body as LINE sent it and signed it: verified, and checked as a webhook body. */
  body: string;
  resolve(): void;
  reject(error: unknown): void;
}

const DELIVERY_COLUMNS = ['portal_id', 'line_account_id', 'body', 'received_at'] as const;
type DeliveryRow = Record<(typeof DELIVERY_COLUMNS)[number], SqlValue>;

/**
 * An account's last_event_at is written at most this often by one process: a statement fewer in most of the
 * webhook's transactions, for a last-event time on the settings page that is at most this much behind.
 */
const TOUCH_INTERVAL_MS = 5_000;

/** Deliveries written in one write at most; the rest go in the next one. */
const MAX_DELIVERIES_PER_WRITE = 256;

export class WebhookEventStore {
  private readonly ctx: AppContext;
  private pending: PendingDelivery[] = [];
  /** When this process last wrote each account's last_event_at. */
  private readonly touchedAt = new Map<number, number>();
  /** A write is in progress, or queued for the end of this turn of the event loop. */
  private writing = false;

  constructor(ctx: AppContext) {
    this.ctx = ctx;
  }

  /** Stores a delivery; resolves once it is committed (rejects with 404 when its account was removed meanwhile). */
  store(account: LineAccount, body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ account, body, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.takeBatch();
        try {
          const stored = await this.writeBatch(batch);
          if (stored.some(Boolean)) this.ctx.queue.wakeWorkers();
          batch.forEach((delivery, i) => {
            if (stored[i]) delivery.resolve();
            else delivery.reject(notFound('Unknown webhook URL'));
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
   * the deliveries' foreign key fail: the batch is written again with every account touched, which tells which
   * accounts still exist, so the other accounts' deliveries are stored and the removed one's refused.
   */
  private async writeBatch(batch: PendingDelivery[]): Promise<boolean[]> {
    try {
      return await this.attempt(batch, false);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      return await this.attempt(batch, true);
    }
  }

  private async attempt(batch: PendingDelivery[], touchAll: boolean): Promise<boolean[]> {
    const now = nowMs();
    const accounts = [...new Map(batch.map((d) => [d.account.id, { id: d.account.id, portalId: d.account.portalId }])).values()];
    const due = touchAll ? accounts : accounts.filter((a) => (this.touchedAt.get(a.id) ?? -Infinity) + TOUCH_INTERVAL_MS <= now);
    // Most writes are one statement (the deliveries' insert), atomic without a transaction's two more round trips.
    const statements = (due.length ? 1 : 0) + insertStatementCount(this.ctx.db, batch.length, DELIVERY_COLUMNS.length);
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
    return this.pending.splice(0, MAX_DELIVERIES_PER_WRITE);
  }

  /** Returns, per delivery, whether it was stored (false when its account no longer exists). */
  private async write(conn: DirectConnection, batch: PendingDelivery[], due: Array<{ id: number; portalId: number }>, now: number): Promise<boolean[]> {
    // Touching last_event_at also tells which of those accounts still exist: one removed after its webhook
    // was verified takes its deliveries with it (404, nothing stored).
    const existing = due.length ? await touchLastEvent(conn, due, now) : new Set<number>();
    for (const a of due) {
      if (existing.has(a.id)) this.touchedAt.set(a.id, now);
      else this.touchedAt.delete(a.id);
    }
    const gone = new Set(due.filter((a) => !existing.has(a.id)).map((a) => a.id));
    const rows: DeliveryRow[] = batch
      .filter((d) => !gone.has(d.account.id))
      .map((d) => ({ portal_id: d.account.portalId, line_account_id: d.account.id, body: d.body, received_at: now }));
    if (rows.length) await conn.insert('inbound_deliveries', DELIVERY_COLUMNS, rows);
    return batch.map((d) => !gone.has(d.account.id));
  }
}
