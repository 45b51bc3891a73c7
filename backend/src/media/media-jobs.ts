// Queues the download of a message's content from LINE as soon as the message is stored.
import type { AppContext } from '../context.ts';
import { jobOf } from '../jobs/define-job.ts';
import { fetchMediaJob } from './fetch-media-job.ts';

export async function enqueueMediaFetch(ctx: AppContext, message: { id: number; portalId: number; accountId: number }): Promise<void> {
  await ctx.queue.enqueue(
    jobOf(fetchMediaJob, { messageId: message.id }, {
      dedupeKey: `${fetchMediaJob.type}:${message.id}`,
      portalId: message.portalId,
      lineAccountId: message.accountId,
      // LINE prepares long videos for a while; spread attempts over about an hour before giving up.
      maxAttempts: 15,
    }),
  );
}
