// message, unsend and messageEdited events: the conversation log (messages table) and the unanswered flag.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { ensureLinks } from '../contacts/links.ts';
import { recordInboundMessage, replaceUnansweredMessage } from '../conversation/conversation-state.ts';
import { findInboundByLineMessageId, insertInboundMessage, markUnsent, replaceContent } from '../conversation/messages.ts';
import { UNSENT_SUMMARY, summarizeMessage } from '../conversation/message-summary.ts';
import { enqueueMediaFetch } from '../media/media-jobs.ts';
import { hostedByLine } from '../media/media-messages.ts';
import { deleteMedia } from '../media/media-store.ts';
import { skipped, type EventEffect, type EventHandler } from './event-effects.ts';
import { scrubStoredEvents } from './event-scrub.ts';
import { handleGroupEdit, handleGroupMessage, handleGroupUnsend } from './group-events.ts';
import type { WebhookEvent } from './webhook-body.ts';

const messageSchema = z.looseObject({
  id: z.string().min(1).max(64),
  type: z.string().min(1).max(32),
  quoteToken: z.string().max(255).optional(),
  markAsReadToken: z.string().max(255).optional(),
  contentProvider: z.looseObject({ type: z.string() }).optional(),
});

/** A group or room message event goes to the group's conversation log, not a 1:1 one. */
async function groupMessage(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect | undefined> {
  const source = event.source;
  if (!source || source.type === 'user') return undefined;
  if (event.type === 'message') return handleGroupMessage(ctx, account, event);
  if (event.type === 'unsend') return handleGroupUnsend(ctx, account, event);
  return handleGroupEdit(ctx, account, event);
}

export const handleMessage: EventHandler = async (ctx, account, { event }) => {
  const group = await groupMessage(ctx, account, event);
  if (group) return group;
  const lineUserId = event.source?.userId;
  const message = messageSchema.safeParse(event.message);
  if (!lineUserId || !message.success) {
    ctx.logger.warn({ webhookEventId: event.webhookEventId }, 'message event without a user or message id: skipped');
    return skipped(lineUserId);
  }
  const m = message.data;
  const summary = summarizeMessage(m);
  const row = await insertInboundMessage(ctx, {
    portalId: account.portalId,
    accountId: account.id,
    lineUserId,
    type: m.type,
    text: summary,
    payload: JSON.stringify(m),
    lineMessageId: m.id,
    quoteToken: m.quoteToken ?? null,
    markAsReadToken: m.markAsReadToken ?? null,
    webhookEventId: event.webhookEventId,
    createdAt: event.timestamp,
  });
  const messageId = row.id;
  if (row.status === 'unsent') return { outcome: 'handled', lineUserId, contact: 'create' };
  // Content from an external provider is already at a URL; only LINE-hosted content must be fetched (promptly).
  if (hostedByLine(m)) {
    await enqueueMediaFetch(ctx, { id: messageId, portalId: account.portalId, accountId: account.id });
  }
  const link = (await ensureLinks(ctx, account, [lineUserId])).get(lineUserId)!;
  await recordInboundMessage(ctx, account.portalId, link.id, { id: messageId, at: event.timestamp, summary });
  return { outcome: 'handled', lineUserId, contact: 'create', timelineMessageIds: [messageId] };
};

async function findUserMessage(ctx: AppContext, account: LineAccount, lineUserId: string, lineMessageId: unknown) {
  if (typeof lineMessageId !== 'string') return undefined;
  return findInboundByLineMessageId(ctx, { portalId: account.portalId, accountId: account.id, lineUserId }, lineMessageId);
}

/**
 * The user unsent a message: hide it everywhere it was shown (text, content, unanswered message, session
 * note) and keep nothing of it (the stored webhook events that carried it).
 */
export const handleUnsend: EventHandler = async (ctx, account, { event }) => {
  const group = await groupMessage(ctx, account, event);
  if (group) return group;
  const lineUserId = event.source?.userId;
  const unsend = event.unsend as { messageId?: unknown } | undefined;
  const row = lineUserId ? await findUserMessage(ctx, account, lineUserId, unsend?.messageId) : undefined;
  if (!lineUserId || !row) return skipped(lineUserId);
  const messageId = Number(row.id);
  const type = String(JSON.parse(row.payload).type ?? 'unknown');
  await markUnsent(ctx, account.portalId, messageId, JSON.stringify({ id: unsend?.messageId, type }), event.timestamp);
  await deleteMedia(ctx, account.portalId, messageId);
  await scrubStoredEvents(ctx, account.id, [row.webhook_event_id, event.webhookEventId].filter((id): id is string => typeof id === 'string'));
  await replaceUnansweredMessage(ctx, account.portalId, messageId, UNSENT_SUMMARY);
  return { outcome: 'handled', lineUserId, contact: 'find', rerenderNote: true };
};

/** The user edited a text message: the log and the unanswered message show the new text. */
export const handleMessageEdited: EventHandler = async (ctx, account, { event }) => {
  const group = await groupMessage(ctx, account, event);
  if (group) return group;
  const lineUserId = event.source?.userId;
  const edited = event.message as Record<string, unknown> | undefined;
  const row = lineUserId ? await findUserMessage(ctx, account, lineUserId, edited?.id) : undefined;
  if (!lineUserId || !row || !edited) return skipped(lineUserId);
  const payload = { ...JSON.parse(row.payload), ...edited };
  const summary = summarizeMessage(payload);
  await replaceContent(ctx, account.portalId, Number(row.id), summary, JSON.stringify(payload));
  await replaceUnansweredMessage(ctx, account.portalId, Number(row.id), summary);
  return { outcome: 'handled', lineUserId, contact: 'find', rerenderNote: true };
};
