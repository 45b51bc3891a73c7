// groups.member-contact { portalId, accountId, groupId, lineUserId }: a member who wrote in a linked group
// becomes a contact and is associated with the group's company. It runs in the member's own chat partition
// (the one their 1:1 events use), so a member who also writes to the account 1:1 is never given two contacts
// by two jobs creating at once.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { inboundPartitionKey } from '../conversation/chat-partition.ts';
import { hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { defineJob, jobOf } from '../jobs/define-job.ts';
import { RetryJobError } from '../jobs/job-errors.ts';
import { associateMembers } from './group-member-contacts.ts';
import { groupMembers } from './group-members.ts';
import { findGroup, type GroupKey } from './groups.ts';

export const memberContactJob = defineJob({
  type: 'groups.member-contact',
  payload: z.object({
    portalId: z.number().int().positive(),
    accountId: z.number().int().positive(),
    groupId: z.string().min(1).max(64),
    lineUserId: z.string().min(1).max(64),
  }),
  async run(ctx: AppContext, job) {
    const { portalId, accountId, groupId, lineUserId } = job.payload;
    const key: GroupKey = { portalId, accountId, groupId };
    const [account, group] = [await findAccount(ctx, portalId, accountId), await findGroup(ctx, key)];
    if (!account || group?.companyId === null || group?.companyId === undefined) return; // unlinked meanwhile
    const members = await groupMembers(ctx, key, [lineUserId]);
    let waiting: Set<string>;
    try {
      waiting = await associateMembers(ctx, await hubspotFor(ctx, portalId), account, group.companyId, members);
    } catch (error) {
      throw jobErrorFor(error);
    }
    if (waiting.size > 0) {
      throw new RetryJobError('waiting for HubSpot search to see a contact created moments ago', { delayMs: ctx.config.timings.contacts.searchRecheckMs, countAttempt: false });
    }
  },
});

/** Queues the contact of each member for the group's company. */
export async function enqueueMemberContacts(ctx: AppContext, key: GroupKey, lineUserIds: string[]): Promise<void> {
  await ctx.queue.enqueueMany(
    lineUserIds.map((lineUserId) => jobOf(memberContactJob, { ...key, lineUserId }, { portalId: key.portalId, lineAccountId: key.accountId, partitionKey: inboundPartitionKey(key.accountId, lineUserId) })),
  );
}
