// Persists verified webhook events and their processing jobs in one transaction: once LINE gets
// its 200, every event is durable and will be processed; a redelivered event is a no-op.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';
import { INBOUND_EVENT_JOB, inboundPartitionKey } from './jobs.ts';
import { chatIdOf, type WebhookEvent } from './webhook-body.ts';

/** Stores the events not seen before; returns how many were new. */
export async function storeWebhookEvents(ctx: AppContext, account: LineAccount, events: WebhookEvent[]): Promise<number> {
  const now = nowMs();
  return ctx.db.transaction(async (trx) => {
    let stored = 0;
    for (const event of events) {
      const chatId = chatIdOf(event);
      const inserted = await trx('inbound_events')
        .insert({
          webhook_event_id: event.webhookEventId,
          portal_id: account.portalId,
          line_account_id: account.id,
          type: event.type,
          mode: event.mode ?? null,
          chat_id: chatId ?? null,
          line_user_id: event.source?.userId ?? null,
          is_redelivery: event.deliveryContext?.isRedelivery === true,
          payload: JSON.stringify(event),
          event_timestamp: event.timestamp,
          received_at: now,
        })
        .onConflict('webhook_event_id')
        .ignore()
        .returning('id');
      if (inserted.length === 0) continue;
      stored++;
      await ctx.queue.enqueue(
        {
          type: INBOUND_EVENT_JOB,
          payload: { webhookEventId: event.webhookEventId },
          partitionKey: inboundPartitionKey(account.id, chatId),
          dedupeKey: `${INBOUND_EVENT_JOB}:${event.webhookEventId}`,
          portalId: account.portalId,
        },
        trx,
      );
    }
    await trx('line_accounts').where({ id: account.id, portal_id: account.portalId }).update({ last_event_at: now });
    return stored;
  });
}
