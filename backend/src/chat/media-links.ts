// URLs for media LINE hosts (inbound images, video, audio, files): the media feature's expiring signed
// URLs, except for content LINE would no longer give us (the panel says so instead of a broken link).
import type { AppContext } from '../context.ts';
import { MEDIA_TYPES } from '../conversation/message-summary.ts';
import { mediaUrl } from '../media/media-url.ts';
import type { MediaLinker } from './message-view.ts';

type Row = Record<string, unknown>;

export async function mediaLinkerFor(ctx: AppContext, rows: Row[]): Promise<MediaLinker> {
  const ids = rows.filter((r) => r.direction === 'inbound' && MEDIA_TYPES.has(String(r.type))).map((r) => Number(r.id));
  const unavailable = new Set<number>();
  if (ids.length > 0) {
    const lost = await ctx.db('media').whereIn('message_id', ids).andWhere({ status: 'unavailable' }).pluck('message_id');
    for (const id of lost) unavailable.add(Number(id));
  }
  const now = Date.now();
  return ({ id }) => (ids.includes(id) && !unavailable.has(id) ? mediaUrl(ctx, id, now) : null);
}
