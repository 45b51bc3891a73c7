// Who is in each group (line_group_members), as join/leave events and messages tell, with each member's
// name and picture from LINE's group member profile (members need not be friends of the account, so the
// 1:1 profile API may not know them). The only code that reads or changes the table.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';
import type { GroupKey } from './groups.ts';

export interface GroupMember {
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  profileRefreshedAt: number | null;
  joinedAt: number | null;
  leftAt: number | null;
  /** The company and contact the member was associated as last (null: not yet, or not since the group was linked again). */
  associatedCompanyId: number | null;
  associatedContactId: number | null;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const memberFromRow = (row: Row): GroupMember => ({
  lineUserId: String(row.line_user_id),
  displayName: (row.display_name as string | null) ?? null,
  pictureUrl: (row.picture_url as string | null) ?? null,
  profileRefreshedAt: num(row.profile_refreshed_at),
  joinedAt: num(row.joined_at),
  leftAt: num(row.left_at),
  associatedCompanyId: num(row.associated_company_id),
  associatedContactId: num(row.associated_contact_id),
});

const membersOf = (ctx: AppContext, key: GroupKey) => ctx.db('line_group_members').where({ portal_id: key.portalId, line_account_id: key.accountId, group_id: key.groupId });

/** Users joined or left the group (memberJoined / memberLeft). */
export async function recordGroupMembers(ctx: AppContext, key: GroupKey, lineUserIds: string[], joined: boolean, at: number): Promise<void> {
  const changes = joined ? { joined_at: at, left_at: null } : { left_at: at };
  for (const lineUserId of lineUserIds) {
    await ctx.db('line_group_members')
      .insert({ portal_id: key.portalId, line_account_id: key.accountId, group_id: key.groupId, line_user_id: lineUserId, ...changes, updated_at: nowMs() })
      .onConflict(['line_account_id', 'group_id', 'line_user_id'])
      .merge({ ...changes, updated_at: nowMs() });
  }
}

/** A member who writes in a group is a member, even if the bot joined after they did. */
export async function recordGroupSpeaker(ctx: AppContext, key: GroupKey, lineUserId: string, at: number): Promise<void> {
  await ctx.db('line_group_members')
    .insert({ portal_id: key.portalId, line_account_id: key.accountId, group_id: key.groupId, line_user_id: lineUserId, joined_at: at, updated_at: nowMs() })
    .onConflict(['line_account_id', 'group_id', 'line_user_id'])
    .ignore();
}

export async function saveMemberProfile(ctx: AppContext, key: GroupKey, lineUserId: string, profile: { displayName: string | null; pictureUrl: string | null }, at: number): Promise<void> {
  await membersOf(ctx, key).andWhere({ line_user_id: lineUserId }).update({ display_name: profile.displayName, picture_url: profile.pictureUrl, profile_refreshed_at: at, updated_at: nowMs() });
}

/** The group's members (current and former) among `lineUserIds`, or all of them when absent. */
export async function groupMembers(ctx: AppContext, key: GroupKey, lineUserIds?: string[]): Promise<GroupMember[]> {
  const q = membersOf(ctx, key).orderBy('id');
  if (lineUserIds) q.whereIn('line_user_id', lineUserIds.slice(0, 500));
  return ((await q) as Row[]).map(memberFromRow);
}

/** The member's contact is associated with the company now. */
export async function markMemberAssociated(ctx: AppContext, key: GroupKey, lineUserId: string, association: { companyId: number; contactId: number }): Promise<void> {
  await membersOf(ctx, key).andWhere({ line_user_id: lineUserId }).update({ associated_company_id: association.companyId, associated_contact_id: association.contactId, updated_at: nowMs() });
}

/** The group was linked (again): every member is to be associated afresh, whatever an earlier link did. */
export async function forgetMemberAssociations(ctx: AppContext, key: GroupKey): Promise<void> {
  await membersOf(ctx, key).whereNotNull('associated_company_id').update({ associated_company_id: null, associated_contact_id: null, updated_at: nowMs() });
}
