// The groups and rooms the bot is in, and who is in them, as join/leave/member events and group
// messages tell. Group features (company group chats) come later; this keeps the record they will need.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';

export async function recordBotInGroup(ctx: AppContext, account: LineAccount, groupId: string, kind: 'group' | 'room', joined: boolean, at: number): Promise<void> {
  const changes = joined ? { joined_at: at, left_at: null } : { left_at: at };
  await ctx.db('line_groups')
    .insert({ portal_id: account.portalId, line_account_id: account.id, group_id: groupId, kind, ...changes, updated_at: nowMs() })
    .onConflict(['line_account_id', 'group_id'])
    .merge({ ...changes, updated_at: nowMs() });
}

export async function recordGroupMembers(ctx: AppContext, account: LineAccount, groupId: string, lineUserIds: string[], joined: boolean, at: number): Promise<void> {
  const changes = joined ? { joined_at: at, left_at: null } : { left_at: at };
  for (const lineUserId of lineUserIds) {
    await ctx.db('line_group_members')
      .insert({ portal_id: account.portalId, line_account_id: account.id, group_id: groupId, line_user_id: lineUserId, ...changes, updated_at: nowMs() })
      .onConflict(['line_account_id', 'group_id', 'line_user_id'])
      .merge({ ...changes, updated_at: nowMs() });
  }
}

/** A member who writes in a group is a member, even if the bot joined after they did. */
export async function recordGroupSpeaker(ctx: AppContext, account: LineAccount, groupId: string, lineUserId: string, at: number): Promise<void> {
  await ctx.db('line_group_members')
    .insert({ portal_id: account.portalId, line_account_id: account.id, group_id: groupId, line_user_id: lineUserId, joined_at: at, updated_at: nowMs() })
    .onConflict(['line_account_id', 'group_id', 'line_user_id'])
    .ignore();
}
