// What group events change locally, and the HubSpot sync each one queues: the bot joining or leaving, members
// coming and going, members' messages in the group's own log (with the sender) and the unanswered state,
// and the group's newest reply token for the chat panel's free reply.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { summarizeMessage, UNSENT_SUMMARY } from '../conversation/message-summary.ts';
import type { WebhookEvent } from '../inbound/webhook-body.ts';
import { recordGroupInbound, replaceGroupUnansweredMessage } from './group-conversations.ts';
import { recordGroupMembers, recordGroupSpeaker } from './group-members.ts';
import { findInboundGroupMessage, insertInboundGroupMessage, markGroupMessageUnsent, replaceGroupMessageContent, type GroupMessageStatus } from './group-messages.ts';
import { enqueueGroupSync } from './group-sync-job.ts';
import { ensureGroup, recordBotInGroup, storeGroupReplyToken, type GroupKey } from './groups.ts';

const messageSchema = z.looseObject({
  id: z.string().min(1).max(64),
  type: z.string().min(1).max(32),
  quoteToken: z.string().max(255).optional(),
  contentProvider: z.looseObject({ type: z.string() }).optional(),
});

type Handled = Promise<boolean>;

/** The group or room an event happened in, or undefined for a 1:1 event. */
function groupOfEvent(account: LineAccount, event: WebhookEvent): { key: GroupKey; kind: 'group' | 'room' } | undefined {
  const s = event.source;
  const at = { portalId: account.portalId, accountId: account.id };
  if (s?.type === 'group' && s.groupId) return { key: { ...at, groupId: s.groupId }, kind: 'group' };
  if (s?.type === 'room' && s.roomId) return { key: { ...at, groupId: s.roomId }, kind: 'room' };
  return undefined;
}

function memberIds(list: unknown): string[] {
  const members = (list as { members?: unknown } | undefined)?.members;
  if (!Array.isArray(members)) return [];
  return members.map((m) => (m as { userId?: unknown })?.userId).filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 64);
}

/**
 * Keeps the group's reply token for the chat panel; not of standby events (another module answers) nor
 * redelivered ones (the token's lifetime counts from a redelivery the event does not date).
 */
async function keepGroupReplyToken(ctx: AppContext, key: GroupKey, event: WebhookEvent): Promise<void> {
  if (typeof event.replyToken !== 'string' || event.mode === 'standby' || event.deliveryContext?.isRedelivery) return;
  await storeGroupReplyToken(ctx, key, event.replyToken, event.timestamp);
}

/** The bot joined (join) or was removed from (leave) a group or room. */
export async function recordBotMembership(ctx: AppContext, account: LineAccount, event: WebhookEvent, joined: boolean): Handled {
  const group = groupOfEvent(account, event);
  if (!group) return false;
  await recordBotInGroup(ctx, group.key, group.kind, joined, event.timestamp);
  if (joined) await keepGroupReplyToken(ctx, group.key, event);
  await enqueueGroupSync(ctx, group.key, { refreshSummary: joined });
  return true;
}

/** Users joined (memberJoined) or left (memberLeft) a group or room. */
export async function recordMembersChange(ctx: AppContext, account: LineAccount, event: WebhookEvent, joined: boolean): Handled {
  const group = groupOfEvent(account, event);
  if (!group) return false;
  await ensureGroup(ctx, group.key, group.kind, event.timestamp);
  await recordGroupMembers(ctx, group.key, memberIds(joined ? event.joined : event.left), joined, event.timestamp);
  if (joined) await keepGroupReplyToken(ctx, group.key, event);
  await enqueueGroupSync(ctx, group.key, { refreshCount: true });
  return true;
}

/** A member's message as stored: its row in the group log, and the LINE message object's type and content provider. */
export interface StoredGroupMessage {
  id: number;
  status: GroupMessageStatus;
  message: { type: string; contentProvider?: { type: string } };
}

/** A member wrote in the group: its log (the same row when LINE delivers the event again), the unanswered state. */
export async function recordGroupMessage(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<StoredGroupMessage | undefined> {
  const group = groupOfEvent(account, event);
  const message = messageSchema.safeParse(event.message);
  if (!group || !message.success) return undefined;
  const { key, kind } = group;
  const stored = await ensureGroup(ctx, key, kind, event.timestamp);
  const sender = event.source?.userId ?? null;
  if (sender) await recordGroupSpeaker(ctx, key, sender, event.timestamp);
  const m = message.data;
  const summary = summarizeMessage(m);
  const row = await insertInboundGroupMessage(ctx, {
    ...key,
    lineUserId: sender,
    type: m.type,
    text: summary,
    payload: JSON.stringify(m),
    lineMessageId: m.id,
    quoteToken: m.quoteToken ?? null,
    webhookEventId: event.webhookEventId,
    createdAt: event.timestamp,
  });
  if (row.status !== 'unsent') await recordGroupInbound(ctx, key.portalId, stored.id, { id: row.id, at: event.timestamp, summary });
  await keepGroupReplyToken(ctx, key, event);
  await enqueueGroupSync(ctx, key, { messageIds: [row.id] });
  return { id: row.id, status: row.status, message: m };
}

/**
 * A member unsent a message: its text and content are dropped from the group log and the unanswered
 * message; answers the unsent message's id (group_messages.id), so its stored content goes too.
 */
export async function recordGroupUnsend(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<number | undefined> {
  const group = groupOfEvent(account, event);
  const lineMessageId = (event.unsend as { messageId?: unknown } | undefined)?.messageId;
  if (!group || typeof lineMessageId !== 'string') return undefined;
  const row = await findInboundGroupMessage(ctx, group.key, lineMessageId);
  if (!row || row.line_user_id !== event.source?.userId) return undefined;
  const type = String(JSON.parse(row.payload).type ?? 'unknown');
  await markGroupMessageUnsent(ctx, group.key.portalId, Number(row.id), JSON.stringify({ id: lineMessageId, type }), event.timestamp);
  await replaceGroupUnansweredMessage(ctx, group.key.portalId, Number(row.id), UNSENT_SUMMARY);
  await enqueueGroupSync(ctx, group.key, { messageIds: [Number(row.id)] });
  return Number(row.id);
}

/** A member edited a text message: the group log and the unanswered message show the new text. */
export async function recordGroupEdit(ctx: AppContext, account: LineAccount, event: WebhookEvent): Handled {
  const group = groupOfEvent(account, event);
  const edited = event.message as Record<string, unknown> | undefined;
  if (!group || !edited || typeof edited.id !== 'string') return false;
  const row = await findInboundGroupMessage(ctx, group.key, edited.id);
  if (!row || row.line_user_id !== event.source?.userId) return false;
  const payload = { ...JSON.parse(row.payload), ...edited };
  const summary = summarizeMessage(payload);
  await replaceGroupMessageContent(ctx, group.key.portalId, Number(row.id), summary, JSON.stringify(payload));
  await replaceGroupUnansweredMessage(ctx, group.key.portalId, Number(row.id), summary);
  await enqueueGroupSync(ctx, group.key, { messageIds: [Number(row.id)] });
  return true;
}
