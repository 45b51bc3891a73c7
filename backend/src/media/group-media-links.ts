// URLs for what members posted in a group (images, video, audio, files): the media feature's expiring
// signed URLs, except for content LINE would no longer give us (the panel says so instead of a broken link)
// and content its member unsent (deleted with it).
import type { AppContext } from '../context.ts';
import { MEDIA_TYPES } from '../conversation/message-summary.ts';
import { unavailableMediaIds } from './media-store.ts';
import { mediaUrl } from './media-url.ts';

export async function groupMediaLinkerFor(ctx: AppContext, portalId: number, rows: Array<{ id: number; direction: string; type: string; status: string }>): Promise<(message: { id: number }) => string | null> {
  const received = new Set(rows.filter((r) => r.direction === 'inbound' && r.status !== 'unsent' && MEDIA_TYPES.has(r.type)).map((r) => Number(r.id)));
  const unavailable = received.size > 0 ? await unavailableMediaIds(ctx, portalId, [...received], 'group') : new Set<number>();
  const now = Date.now();
  return ({ id }) => (received.has(id) && !unavailable.has(id) ? mediaUrl(ctx, portalId, id, now, 'group') : null);
}
