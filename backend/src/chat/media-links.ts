// URLs for the media the panel shows through the media feature's expiring signed URLs: content LINE hosts
// (inbound images, video, audio, files), except content LINE would no longer give us (the panel says so
// instead of a broken link), and images the account sent, whose own hosts the card may not load from.
import type { AppContext } from '../context.ts';
import { MEDIA_TYPES } from '../conversation/message-summary.ts';
import type { MessageRow } from '../conversation/messages.ts';
import { unavailableMediaIds } from '../media/media-store.ts';
import { mediaUrl } from '../media/media-url.ts';
import type { MediaLinker } from './message-view.ts';

export async function mediaLinkerFor(ctx: AppContext, portalId: number, rows: MessageRow[]): Promise<MediaLinker> {
  const received = rows.filter((r) => r.direction === 'inbound' && MEDIA_TYPES.has(r.type)).map((r) => r.id);
  const sent = new Set(rows.filter((r) => r.direction === 'outbound' && r.type === 'image').map((r) => r.id));
  const unavailable = received.length > 0 ? await unavailableMediaIds(ctx, portalId, received) : new Set<number>();
  const linked = new Set([...received.filter((id) => !unavailable.has(id)), ...sent]);
  const now = Date.now();
  return ({ id }) => (linked.has(id) ? mediaUrl(ctx, portalId, id, now) : null);
}
