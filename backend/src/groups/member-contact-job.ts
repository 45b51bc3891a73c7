// groups.member-contact { portalId, accountId, groupId, lineUserId }: a member who wrote in a linked group
// becomes a contact and is associated with the group's company. It runs in the member's own chat partition
// (the one their 1:1 events use), so a member who also writes to the account 1:1 is never given two contacts
// by two jobs creating at once. Batched: the members due together, of every group of an account, share one
// HubSpot pass (group-member-contacts.ts); a member already associated with the company costs nothing.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { inboundPartitionKey } from '../conversation/chat-partition.ts';
import { hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { defineJob, jobOf } from '../jobs/define-job.ts';
import { RetryJobError } from '../jobs/job-errors.ts';
import type { Job } from '../jobs/queue.ts';
import { associateMembers, type MemberOfCompany } from './group-member-contacts.ts';
import { groupMembers } from './group-members.ts';
import { findGroup, type GroupKey } from './groups.ts';

const payload = z.object({
  portalId: z.number().int().positive(),
  accountId: z.number().int().positive(),
  groupId: z.string().min(1).max(64),
  lineUserId: z.string().min(1).max(64),
});

type MemberJob = Job<z.infer<typeof payload>>;

export const memberContactJob = defineJob({
  type: 'groups.member-contact',
  payload,
  batchSize: 100,
  async runBatch(ctx: AppContext, jobs) {
    const failures = new Map<number, unknown>();
    const byAccount = new Map<string, MemberJob[]>();
    for (const job of jobs) {
      const at = `${job.payload.portalId}:${job.payload.accountId}`;
      byAccount.set(at, [...(byAccount.get(at) ?? []), job]);
    }
    for (const accountJobs of byAccount.values()) {
      for (const [id, error] of await associateForAccount(ctx, accountJobs)) failures.set(id, error);
    }
    return failures;
  },
});

/** One account's due members; answers the failures by job id. */
async function associateForAccount(ctx: AppContext, jobs: MemberJob[]): Promise<Map<number, unknown>> {
  const { portalId, accountId } = jobs[0].payload;
  const account = await findAccount(ctx, portalId, accountId);
  if (!account) return new Map(); // disconnected meanwhile
  const wanted: Array<MemberOfCompany & { jobId: number }> = [];
  for (const job of jobs) {
    const key: GroupKey = { portalId, accountId, groupId: job.payload.groupId };
    const group = await findGroup(ctx, key);
    if (group?.companyId === null || group?.companyId === undefined) continue; // unlinked meanwhile
    const [member] = await groupMembers(ctx, key, [job.payload.lineUserId]);
    if (!member) continue;
    wanted.push({ key, companyId: group.companyId, member, jobId: job.id });
  }
  let waiting: Set<string>;
  try {
    waiting = await associateMembers(ctx, await hubspotFor(ctx, portalId), account, wanted);
  } catch (error) {
    return new Map(wanted.map((w) => [w.jobId, jobErrorFor(error)]));
  }
  const wait = new RetryJobError('waiting for HubSpot search to see a contact created moments ago', { delayMs: ctx.config.timings.contacts.searchRecheckMs, countAttempt: false });
  return new Map(wanted.filter((w) => waiting.has(w.member.lineUserId)).map((w) => [w.jobId, wait]));
}

/** Queues the contact of each member for the group's company. */
export async function enqueueMemberContacts(ctx: AppContext, key: GroupKey, lineUserIds: string[]): Promise<void> {
  await ctx.queue.enqueueMany(
    lineUserIds.map((lineUserId) => jobOf(memberContactJob, { ...key, lineUserId }, { portalId: key.portalId, lineAccountId: key.accountId, partitionKey: inboundPartitionKey(key.accountId, lineUserId) })),
  );
}
