// groups.sync { portalId, accountId, groupId, messageIds, refreshSummary, refreshCount, allSpeakers }: the
// HubSpot side of a group's changes, queued by its events (and by linking it on the company card). LINE's
// summary, member count and member profiles first; then the company (created when the account
// auto-creates companies), its writing members' contacts (member-contact-job.ts), the owner's task and the "LINE group"
// properties, and the session note on the company timeline. Every step re-reads or recomputes its state,
// so a retried job converges without duplicates. One group's jobs run one at a time, in order, each after a
// short gathering delay; a run also does the work of the syncs queued behind it, so a busy group's messages
// share one HubSpot pass (about two calls) instead of one pass each.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { loadLinks } from '../contacts/links.ts';
import { hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { defineJob, jobOf } from '../jobs/define-job.ts';
import { clearCompanyProperties, createCompanyForGroup, writeCompanyProperties } from './group-company.ts';
import { loadGroupConversation } from './group-conversations.ts';
import { refreshGroupSummary, refreshMemberCount, refreshMemberProfiles } from './group-line.ts';
import { associationDue } from './group-member-contacts.ts';
import { forgetMemberAssociations, groupMembers } from './group-members.ts';
import { groupMessagesByIds, groupSpeakers } from './group-messages.ts';
import { writeGroupNote } from './group-notes.ts';
import { completeGroupTask, createGroupTask } from './group-tasks.ts';
import { enqueueMemberContacts } from './member-contact-job.ts';
import { findGroup, type GroupKey, type GroupRecord } from './groups.ts';

const payload = z.object({
  portalId: z.number().int().positive(),
  accountId: z.number().int().positive(),
  groupId: z.string().min(1).max(64),
  /** group_messages.id of new or changed messages: their senders become contacts, the timeline shows them. */
  messageIds: z.array(z.number().int().positive()).max(500).default([]),
  /** Ask LINE for the group's name and picture again (the bot joined). */
  refreshSummary: z.boolean().default(false),
  /** Ask LINE for the member count again (members joined or left). */
  refreshCount: z.boolean().default(false),
  /** Every member who ever wrote becomes an associated contact (the group was just linked to a company). */
  allSpeakers: z.boolean().default(false),
  /** The company the group was unlinked from: its group properties are emptied (unless it is linked again). */
  formerCompanyId: z.number().int().positive().optional(),
});

export type GroupSyncRequest = Partial<Omit<z.input<typeof payload>, 'portalId' | 'accountId' | 'groupId'>>;

type SyncPayload = z.infer<typeof payload>;

/** The most messages one run looks at (what groupMessagesByIds reads at once). */
const MAX_MESSAGES_PER_RUN = 500;

export const groupSyncJob = defineJob({
  type: 'groups.sync',
  payload,
  async run(ctx: AppContext, job) {
    // Every run brings the group's whole HubSpot side up to date, so the syncs queued behind this one
    // (messages that came while an earlier sync ran) are done by this run too: one pass, not one each.
    const behind = takeOn(job.payload, await ctx.queue.queuedBehind(job, 100));
    try {
      await syncGroup(ctx, behind.merged);
    } catch (error) {
      throw jobErrorFor(error);
    }
    await ctx.queue.finishQueued(behind.jobIds);
  },
});

/** Merges the payloads of the queued syncs that this run can do as well, in queue order, up to the first it cannot. */
function takeOn(own: SyncPayload, queued: Array<{ id: number; payload: unknown }>): { merged: SyncPayload; jobIds: number[] } {
  const merged = { ...own, messageIds: [...own.messageIds] };
  const jobIds: number[] = [];
  for (const job of queued) {
    const next = payload.safeParse(job.payload);
    if (!next.success) break;
    const p = next.data;
    // An unlink names the company to clear: two different ones cannot be carried by one payload.
    if (p.formerCompanyId !== undefined && merged.formerCompanyId !== undefined && p.formerCompanyId !== merged.formerCompanyId) break;
    const messageIds = [...new Set([...merged.messageIds, ...p.messageIds])];
    if (messageIds.length > MAX_MESSAGES_PER_RUN) break;
    Object.assign(merged, {
      messageIds,
      refreshSummary: merged.refreshSummary || p.refreshSummary,
      refreshCount: merged.refreshCount || p.refreshCount,
      allSpeakers: merged.allSpeakers || p.allSpeakers,
      formerCompanyId: merged.formerCompanyId ?? p.formerCompanyId,
    });
    jobIds.push(job.id);
  }
  return { merged, jobIds };
}

/** Queues the HubSpot side of a group's change, after the gathering delay (the run takes on what comes meanwhile). */
export async function enqueueGroupSync(ctx: AppContext, key: GroupKey, request: GroupSyncRequest = {}): Promise<void> {
  await ctx.queue.enqueue(
    jobOf(groupSyncJob, { ...key, ...request }, {
      portalId: key.portalId,
      lineAccountId: key.accountId,
      partitionKey: `${groupSyncJob.type}:${key.accountId}:${key.groupId}`,
      delayMs: ctx.config.timings.groups.syncGatherMs,
    }),
  );
}

async function syncGroup(ctx: AppContext, p: SyncPayload): Promise<void> {
  const account = await findAccount(ctx, p.portalId, p.accountId);
  const key: GroupKey = { portalId: p.portalId, accountId: p.accountId, groupId: p.groupId };
  let group = await findGroup(ctx, key);
  // Rooms have no summary and no company: only groups are linked.
  if (!account || !group || group.kind !== 'group') return;
  const inGroup = group.leftAt === null;
  if (inGroup && (p.refreshSummary || group.summaryFetchedAt === null)) await refreshGroupSummary(ctx, account, key);
  else if (inGroup && p.refreshCount) await refreshMemberCount(ctx, account, key);
  const messages = (await groupMessagesByIds(ctx, p.portalId, p.messageIds)).filter((m) => m.line_account_id === account.id && m.group_id === key.groupId);
  const senders = p.allSpeakers ? await groupSpeakers(ctx, key) : [...new Set(messages.flatMap((m) => (m.direction === 'inbound' && m.line_user_id ? [m.line_user_id] : [])))];
  const members = senders.length ? await groupMembers(ctx, key, senders) : [];
  if (inGroup) await refreshMemberProfiles(ctx, account, key, members);

  group = (await findGroup(ctx, key))!;
  const hs = await hubspotFor(ctx, p.portalId);
  if (p.formerCompanyId !== undefined && p.formerCompanyId !== group.companyId) await clearCompanyProperties(hs, account, p.formerCompanyId);
  const conversation = await loadGroupConversation(ctx, p.portalId, group.id);
  if (group.companyId === null && inGroup && account.autoCreateCompanies) {
    await createCompanyForGroup(ctx, hs, account, group, conversation);
    group = (await findGroup(ctx, key))!;
  }
  if (group.companyId === null) return;
  const linked = group as GroupRecord & { companyId: number };
  if (p.allSpeakers) await forgetMemberAssociations(ctx, key);
  const links = await loadLinks(ctx, account, members.map((m) => m.lineUserId));
  const due = p.allSpeakers ? members : members.filter((m) => associationDue(m, linked.companyId, links.get(m.lineUserId)));
  await enqueueMemberContacts(ctx, key, due.map((m) => m.lineUserId));
  await completeGroupTask(ctx, hs, conversation);
  if (!(await writeCompanyProperties(ctx, hs, account, linked, conversation))) return;
  await createGroupTask(ctx, hs, account, linked, conversation);
  if (messages.length) await writeGroupNote(ctx, hs, account, linked, conversation, Math.min(...messages.map((m) => Number(m.created_at))));
}
