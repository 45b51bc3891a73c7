// Stored content of inbound media messages (table media). Bytes live in the database for now.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';

export interface StoredMedia {
  messageId: number;
  status: 'stored' | 'unavailable';
  contentType: string | null;
  size: number | null;
  bytes: Buffer | null;
}

export async function saveMedia(ctx: AppContext, m: { messageId: number; portalId: number; contentType: string; bytes: Buffer }): Promise<void> {
  await ctx.db('media')
    .insert({ message_id: m.messageId, portal_id: m.portalId, status: 'stored', content_type: m.contentType, size: m.bytes.length, bytes: m.bytes, created_at: nowMs() })
    .onConflict('message_id')
    .ignore();
}

/** LINE will never give this content (deleted, too large, wrong type): remember why, so the chat can say so. */
export async function markMediaUnavailable(ctx: AppContext, m: { messageId: number; portalId: number; error: string }): Promise<void> {
  await ctx.db('media')
    .insert({ message_id: m.messageId, portal_id: m.portalId, status: 'unavailable', error: m.error.slice(0, 500), created_at: nowMs() })
    .onConflict('message_id')
    .ignore();
}

export async function findMedia(ctx: AppContext, portalId: number, messageId: number): Promise<StoredMedia | undefined> {
  const row = await ctx.db('media').where({ portal_id: portalId, message_id: messageId }).first();
  if (!row) return undefined;
  return {
    messageId: Number(row.message_id),
    status: row.status === 'stored' ? 'stored' : 'unavailable',
    contentType: row.content_type ?? null,
    size: row.size === null ? null : Number(row.size),
    bytes: row.bytes ? Buffer.from(row.bytes) : null,
  };
}

export async function deleteMedia(ctx: AppContext, portalId: number, messageId: number): Promise<void> {
  await ctx.db('media').where({ portal_id: portalId, message_id: messageId }).delete();
}
