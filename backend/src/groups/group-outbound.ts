// What the chat panel and the workflow action (group-chat/, workflow/) tell the groups feature about a send
// to a group: which group of a company may be sent to, and that a message reached the group (the unanswered
// flag clears, the owner's task completes, the company and its timeline follow), and a group linked to or
// unlinked from a company on the card.
import type { AppContext } from '../context.ts';
import { recordGroupAnswer } from './group-conversations.ts';
import { enqueueGroupSync } from './group-sync-job.ts';
import { findGroupOfCompany, recordBotInGroup, type GroupRecord } from './groups.ts';

/** The account's group linked to the company while the bot is in it; undefined means "not linked" (none, or left). */
export async function sendableGroupOfCompany(ctx: AppContext, portalId: number, accountId: number, companyId: number): Promise<(GroupRecord & { companyId: number }) | undefined> {
  const group = await findGroupOfCompany(ctx, portalId, accountId, companyId);
  return group && group.leftAt === null ? (group as GroupRecord & { companyId: number }) : undefined;
}

/** LINE accepted a message to the group (group_messages.id `messageId`, marked sent): the account answered. */
export async function recordGroupMessageSent(ctx: AppContext, group: GroupRecord, messageId: number, at: number): Promise<void> {
  await recordGroupAnswer(ctx, group.portalId, group.id, at);
  await enqueueGroupSync(ctx, group, { messageIds: [messageId] });
}

/** A send found the account no longer in the group (LINE's leave event lost or not processed yet): recorded as that event would be. */
export async function groupLeftFoundBySend(ctx: AppContext, group: GroupRecord, at: number): Promise<void> {
  await recordBotInGroup(ctx, group, group.kind, false, at);
  await enqueueGroupSync(ctx, group, { refreshSummary: false });
}

/** A group was linked to a company on the card: every member who wrote becomes an associated contact, the company gets the properties. */
export async function groupLinked(ctx: AppContext, group: GroupRecord): Promise<void> {
  await enqueueGroupSync(ctx, group, { allSpeakers: true, refreshSummary: group.leftAt === null });
}

/** A group was unlinked from a company on the card: the company's group properties are emptied. */
export async function groupUnlinked(ctx: AppContext, group: GroupRecord, companyId: number): Promise<void> {
  await enqueueGroupSync(ctx, group, { formerCompanyId: companyId });
}
