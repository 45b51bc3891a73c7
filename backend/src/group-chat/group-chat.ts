// The group chat behind a company's chat panel: one connected LINE account of the caller's portal and the
// LINE group linked to the company on it. Every group chat endpoint starts here, so every query is
// portal-scoped and a company only reaches the group linked to it.
import type { AppContext } from '../context.ts';
import { findAccount, type LineAccount } from '../accounts/repository.ts';
import { findGroupOfCompany, type GroupKey, type GroupRecord } from '../groups/groups.ts';
import { HttpError, notFound } from '../http/errors.ts';

export interface GroupChat {
  account: LineAccount;
  group: GroupRecord;
  key: GroupKey;
}

export async function requireAccount(ctx: AppContext, portalId: number, accountId: number): Promise<LineAccount> {
  const account = await findAccount(ctx, portalId, accountId);
  if (!account) throw notFound('No such LINE account in this HubSpot portal');
  return account;
}

/** 404 when the account is not one of the portal's; 409 when the company has no group on it. */
export async function openGroupChat(ctx: AppContext, portalId: number, accountId: number, companyId: number): Promise<GroupChat> {
  const account = await requireAccount(ctx, portalId, accountId);
  const group = await findGroupOfCompany(ctx, portalId, account.id, companyId);
  if (!group) throw new HttpError(409, 'group_not_linked', 'This company is not linked to a LINE group on this LINE account');
  return { account, group, key: { portalId, accountId: account.id, groupId: group.groupId } };
}

export const groupLeft = () => new HttpError(409, 'group_left', 'The LINE account is no longer in this group: messages cannot be delivered');

/** A group that may receive messages: the account must still be in it. */
export function assertInGroup(chat: GroupChat): void {
  if (chat.group.leftAt !== null) throw groupLeft();
}
