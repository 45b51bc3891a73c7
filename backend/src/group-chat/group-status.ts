// What the company card shows, per connected LINE account of the portal: the LINE group linked to the
// company (name, picture, member count, whether the account left it, whether someone waits for an
// answer, the last message), or the account's groups no company holds yet, to pick from.
import type { AppContext } from '../context.ts';
import { listAccounts, type LineAccount } from '../accounts/repository.ts';
import { loadGroupConversation } from '../groups/group-conversations.ts';
import { lastGroupMessages, type GroupMessageRow } from '../groups/group-messages.ts';
import { findGroupOfCompany, unlinkedGroups, type GroupRecord } from '../groups/groups.ts';

export interface GroupSummary {
  groupId: string;
  name: string | null;
  pictureUrl: string | null;
  lastMessage: { text: string | null; at: number } | null;
}

export interface LinkedGroup extends GroupSummary {
  memberCount: number | null;
  unanswered: { since: number; text: string | null } | null;
  /** When the account was removed from the group: nothing can be sent any more, the history stays. */
  leftAt: number | null;
}

export interface GroupAccountStatus {
  account: { id: number; name: string; pictureUrl: string | null; basicId: string | null };
  group: LinkedGroup | null;
  /** The account's groups not linked to any company yet, to pick from while `group` is null. */
  unlinkedGroups: GroupSummary[];
}

/** GET /api/companies/:companyId/line: the card's data, one entry per connected LINE account. */
export interface CompanyLineStatus {
  companyId: number;
  accounts: GroupAccountStatus[];
}

function summaryOf(group: GroupRecord, last: GroupMessageRow | undefined): GroupSummary {
  return {
    groupId: group.groupId,
    name: group.name,
    pictureUrl: group.pictureUrl,
    lastMessage: last ? { text: last.text, at: Number(last.created_at) } : null,
  };
}

/** Whether members wait for an answer, as the groups feature keeps it (the flag clears when we answer). */
async function waitingInGroup(ctx: AppContext, group: GroupRecord): Promise<LinkedGroup['unanswered']> {
  const conversation = await loadGroupConversation(ctx, group.portalId, group.id);
  if (!conversation.unanswered) return null;
  return { since: conversation.unansweredSince ?? conversation.lastInboundAt ?? 0, text: conversation.unansweredMessage };
}

export async function groupAccountStatus(ctx: AppContext, account: LineAccount, companyId: number): Promise<GroupAccountStatus> {
  const view = { account: { id: account.id, name: account.displayName, pictureUrl: account.pictureUrl, basicId: account.basicId } };
  const group = await findGroupOfCompany(ctx, account.portalId, account.id, companyId);
  if (group) {
    const last = await lastGroupMessages(ctx, account.portalId, account.id, [group.groupId]);
    const unanswered = group.leftAt === null ? await waitingInGroup(ctx, group) : null;
    return { ...view, group: { ...summaryOf(group, last.get(group.groupId)), memberCount: group.memberCount, unanswered, leftAt: group.leftAt }, unlinkedGroups: [] };
  }
  const free = await unlinkedGroups(ctx, account.portalId, account.id);
  const last = await lastGroupMessages(ctx, account.portalId, account.id, free.map((g) => g.groupId));
  return { ...view, group: null, unlinkedGroups: free.map((g) => summaryOf(g, last.get(g.groupId))) };
}

export async function companyStatus(ctx: AppContext, portalId: number, companyId: number): Promise<GroupAccountStatus[]> {
  const accounts = await listAccounts(ctx, portalId);
  return Promise.all(accounts.map((account) => groupAccountStatus(ctx, account, companyId)));
}
