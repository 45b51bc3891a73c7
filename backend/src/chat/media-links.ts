// URLs for the media LINE hosts (images, video, audio, files), as stored by the media feature.
import type { AppContext } from '../context.ts';
import type { MediaLinker } from './message-view.ts';

// TODO(#6): return mediaUrl(ctx, id) from backend/src/media once the media feature exports it.
export function linkMediaFor(_ctx: AppContext): MediaLinker {
  return () => null;
}
