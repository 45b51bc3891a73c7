// Queues the download of a message's content from LINE as soon as the message is stored.
import type { AppContext } from '../context.ts';
import { jobOf } from '../jobs/define-job.ts';
import { fetchMediaJob } from './fetch-media-job.ts';
import type { MediaSource } from './media-store.ts';

export async function enqueueMediaFetch(ctx: AppContext, message: { id: number; portalId: number; accountId: number; source?: MediaSource }): Promise<void> {
  const source = message.source ?? 'chat';
  await ctx.queue.enqueue(
    jobOf(fetchMediaJob, { messageId: message.id, source }, {
      // The two logs number their messages apart: a group message's key names its log.
      dedupeKey: source === 'group' ? `${fetchMediaJob.type}:group:${message.id}` : `${fetchMediaJob.type}:${message.id}`,
      portalId: message.portalId,
      lineAccountId: message.accountId,
      // LINE prepares long videos for a while; spread attempts over about an hour before giving up.
      maxAttempts: 15,
    }),
  );
}
