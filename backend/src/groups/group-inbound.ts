// What group events change locally: the group's conversation log (with the member who wrote), the group
// as one the bot is in, and the group's newest reply token for the chat panel's free reply.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { summarizeMessage } from '../conversation/message-summary.ts';
import type { WebhookEvent } from '../inbound/webhook-body.ts';
import { recordGroupSpeaker } from './group-members.ts';
import { findInboundGroupMessage, insertInboundGroupMessage, markGroupMessageUnsent } from './group-messages.ts';
import { ensureGroup, storeGroupReplyToken, type GroupKey } from './groups.ts';

const messageSchema = z.looseObject({
  id: z.string().min(1).max(64),
  type: z.string().min(1).max(32),
  quoteToken: z.string().max(255).optional(),
});

/** The group or room an event happened in, or undefined for a 1:1 event. */
export function groupOfEvent(account: LineAccount, event: WebhookEvent): { key: GroupKey; kind: 'group' | 'room' } | undefined {
  const s = event.source;
  const at = { portalId: account.portalId, accountId: account.id };
  if (s?.type === 'group' && s.groupId) return { key: { ...at, groupId: s.groupId }, kind: 'group' };
  if (s?.type === 'room' && s.roomId) return { key: { ...at, groupId: s.roomId }, kind: 'room' };
  return undefined;
}

/**
 * Keeps the group's reply token for the chat panel; not of standby events (another module answers) nor
 * redelivered ones (the token's lifetime counts from a redelivery the event does not date).
 */
export async function keepGroupReplyToken(ctx: AppContext, key: GroupKey, event: WebhookEvent): Promise<void> {
  if (typeof event.replyToken !== 'string' || event.mode === 'standby' || event.deliveryContext?.isRedelivery) return;
  await storeGroupReplyToken(ctx, key, event.replyToken, event.timestamp);
}

/** A member wrote in the group: answers the stored message's id (the same row when LINE delivers the event again). */
export async function recordGroupMessage(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<{ key: GroupKey; messageId: number } | undefined> {
  const group = groupOfEvent(account, event);
  const message = messageSchema.safeParse(event.message);
  if (!group || !message.success) return undefined;
  const { key, kind } = group;
  await ensureGroup(ctx, key, kind, event.timestamp);
  const sender = event.source?.userId ?? null;
  if (sender) await recordGroupSpeaker(ctx, key, sender, event.timestamp);
  const m = message.data;
  const row = await insertInboundGroupMessage(ctx, {
    ...key,
    lineUserId: sender,
    type: m.type,
    text: summarizeMessage(m),
    payload: JSON.stringify(m),
    lineMessageId: m.id,
    quoteToken: m.quoteToken ?? null,
    webhookEventId: event.webhookEventId,
    createdAt: event.timestamp,
  });
  await keepGroupReplyToken(ctx, key, event);
  return { key, messageId: row.id };
}

/** A member unsent a message: its text and content are dropped from the group log. */
export async function recordGroupUnsend(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<{ key: GroupKey; messageId: number } | undefined> {
  const group = groupOfEvent(account, event);
  const lineMessageId = (event.unsend as { messageId?: unknown } | undefined)?.messageId;
  if (!group || typeof lineMessageId !== 'string') return undefined;
  const row = await findInboundGroupMessage(ctx, group.key, lineMessageId);
  if (!row || row.line_user_id !== event.source?.userId) return undefined;
  const type = String(JSON.parse(row.payload).type ?? 'unknown');
  await markGroupMessageUnsent(ctx, group.key.portalId, Number(row.id), JSON.stringify({ id: lineMessageId, type }), event.timestamp);
  return { key: group.key, messageId: Number(row.id) };
}
