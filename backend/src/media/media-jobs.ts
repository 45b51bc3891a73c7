// Job type that downloads a message's content from LINE; enqueued as soon as the message is stored.
import type { AppContext } from '../context.ts';

export const MEDIA_FETCH_JOB = 'media.fetch';

export async function enqueueMediaFetch(ctx: AppContext, message: { id: number; portalId: number; accountId: number }): Promise<void> {
  await ctx.queue.enqueue({
    type: MEDIA_FETCH_JOB,
    payload: { messageId: message.id },
    dedupeKey: `${MEDIA_FETCH_JOB}:${message.id}`,
    portalId: message.portalId,
    // LINE prepares long videos for a while; spread attempts over about an hour before giving up.
    maxAttempts: 15,
  });
}
