// Stored webhook events stripped of what the user wrote, for when the user takes it back (unsend):
// what is left is only what processing the event again needs (ids, type, times, source).
import type { AppContext } from '../context.ts';
import type { WebhookEvent } from './webhook-body.ts';

export function withoutContent(event: WebhookEvent): WebhookEvent {
  const { type, webhookEventId, timestamp, mode, source, deliveryContext } = event;
  const message = event.message as { id?: unknown; type?: unknown } | undefined;
  const unsend = event.unsend as { messageId?: unknown } | undefined;
  return {
    type,
    webhookEventId,
    timestamp,
    mode,
    source,
    deliveryContext,
    ...(message ? { message: { id: message.id, type: message.type } } : {}),
    ...(unsend ? { unsend: { messageId: unsend.messageId } } : {}),
  };
}

/** Strips the account's stored events that still have a payload (processed ones have none left). */
export async function scrubStoredEvents(ctx: AppContext, accountId: number, webhookEventIds: string[]): Promise<void> {
  const rows = await ctx.db('inbound_events').where({ line_account_id: accountId }).whereIn('webhook_event_id', webhookEventIds).whereNotNull('payload').select('id', 'payload');
  for (const row of rows) {
    const scrubbed = withoutContent(JSON.parse(String(row.payload)) as WebhookEvent);
    await ctx.db('inbound_events').where({ id: row.id }).update({ payload: JSON.stringify(scrubbed) });
  }
}
