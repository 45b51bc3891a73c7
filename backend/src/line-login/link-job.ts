// The job that links a logged-in LINE user (link-login-user.ts). It runs in that user's inbound
// partition, so it never races the processing of their events: a user who adds the account as a friend
// during the login has their follow event handled before or after the link, never halfway through it.
// The outcome goes back on the login's state row, where the waiting browser reads it.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { inboundPartitionKey } from '../conversation/chat-partition.ts';
import { jobErrorFor } from '../hubspot/portal-client.ts';
import { defineJob, jobOf } from '../jobs/define-job.ts';
import { linkLoginUser, type LoggedInUser } from './link-login-user.ts';
import { loginUserOf, recordLoginOutcome, recordLoginUser } from './login-states.ts';

const loggedInUser = z.object({
  lineUserId: z.string(),
  displayName: z.string().nullable(),
  pictureUrl: z.string().nullable(),
  email: z.string().nullable(),
  friend: z.boolean().nullable(),
});

export const loginLinkJob = defineJob({
  type: 'line-login.link',
  payload: z.object({ stateHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  async run(ctx: AppContext, job) {
    const { stateHash } = job.payload;
    const pending = await loginUserOf(ctx, stateHash);
    if (!pending) return; // linked already, or the attempt expired
    const account = await findAccount(ctx, pending.portalId, pending.accountId);
    if (!account) return;
    try {
      await recordLoginOutcome(ctx, stateHash, await linkLoginUser(ctx, account, loggedInUser.parse(pending.user)));
    } catch (error) {
      throw jobErrorFor(error);
    }
  },
});

/** Hands the verified user to the link job of their partition. */
export async function enqueueLoginLink(ctx: AppContext, attempt: { stateHash: string; portalId: number; accountId: number }, user: LoggedInUser): Promise<void> {
  await recordLoginUser(ctx, attempt.stateHash, user);
  await ctx.queue.enqueue(
    jobOf(loginLinkJob, { stateHash: attempt.stateHash }, {
      portalId: attempt.portalId,
      lineAccountId: attempt.accountId,
      partitionKey: inboundPartitionKey(attempt.accountId, user.lineUserId),
      dedupeKey: `${loginLinkJob.type}:${attempt.stateHash}`,
    }),
  );
}
