// URLs for media LINE hosts (inbound images, video, audio, files): the media feature's expiring signed
// URLs, except for content LINE would no longer give us (the panel says so instead of a broken link).
import type { AppContext } from '../context.ts';
import { MEDIA_TYPES } from '../conversation/message-summary.ts';
import type { MessageRow } from '../conversation/messages.ts';
import { unavailableMediaIds } from '../media/media-store.ts';
import { mediaUrl } from '../media/media-url.ts';
import type { MediaLinker } from './message-view.ts';

export async function mediaLinkerFor(ctx: AppContext, portalId: number, rows: MessageRow[]): Promise<MediaLinker> {
  const ids = rows.filter((r) => r.direction === 'inbound' && MEDIA_TYPES.has(r.type)).map((r) => r.id);
  const unavailable = ids.length > 0 ? await unavailableMediaIds(ctx, portalId, ids) : new Set<number>();
  const now = Date.now();
  return ({ id }) => (ids.includes(id) && !unavailable.has(id) ? mediaUrl(ctx, id, now) : null);
}
