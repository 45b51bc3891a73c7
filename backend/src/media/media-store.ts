// Stored content of inbound media messages: of 1:1 messages (table media) and of group messages (table
// group_media), the same rows keyed by the message of either log. Bytes live in the database for now.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';

/** Whose content: a 1:1 message (messages.id) or a group member's message (group_messages.id). */
export type MediaSource = 'chat' | 'group';

const rowsOf = (ctx: AppContext, source: MediaSource) => (source === 'group' ? ctx.db('group_media') : ctx.db('media'));

export async function saveMedia(ctx: AppContext, m: { messageId: number; portalId: number; contentType: string; bytes: Buffer; source?: MediaSource }): Promise<void> {
  await rowsOf(ctx, m.source ?? 'chat')
    .insert({ message_id: m.messageId, portal_id: m.portalId, status: 'stored', content_type: m.contentType, size: m.bytes.length, bytes: m.bytes, created_at: nowMs() })
    .onConflict('message_id')
    .ignore();
}

/** LINE will never give this content (deleted, too large, wrong type): remember why, so the chat can say so. */
export async function markMediaUnavailable(ctx: AppContext, m: { messageId: number; portalId: number; error: string; source?: MediaSource }): Promise<void> {
  await rowsOf(ctx, m.source ?? 'chat')
    .insert({ message_id: m.messageId, portal_id: m.portalId, status: 'unavailable', error: m.error.slice(0, 500), created_at: nowMs() })
    .onConflict('message_id')
    .ignore();
}

/** Whether the message's content was already fetched (or found unavailable). */
export async function mediaRecorded(ctx: AppContext, portalId: number, messageId: number, source: MediaSource = 'chat'): Promise<boolean> {
  return (await rowsOf(ctx, source).where({ portal_id: portalId, message_id: messageId }).first('id')) !== undefined;
}

/** The ids among `messageIds` whose content LINE will never give. */
export async function unavailableMediaIds(ctx: AppContext, portalId: number, messageIds: number[], source: MediaSource = 'chat'): Promise<Set<number>> {
  const lost = await rowsOf(ctx, source).where({ portal_id: portalId, status: 'unavailable' }).whereIn('message_id', messageIds).pluck('message_id');
  return new Set(lost.map(Number));
}

/** Stored content of the portal's message. */
export async function storedContent(ctx: AppContext, portalId: number, messageId: number, source: MediaSource = 'chat'): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const row = await rowsOf(ctx, source).where({ portal_id: portalId, message_id: messageId, status: 'stored' }).first('content_type', 'bytes');
  return row ? { contentType: String(row.content_type), bytes: Buffer.from(row.bytes) } : undefined;
}

export async function deleteMedia(ctx: AppContext, portalId: number, messageId: number, source: MediaSource = 'chat'): Promise<void> {
  await rowsOf(ctx, source).where({ portal_id: portalId, message_id: messageId }).delete();
}
