// What LINE says about a group: its summary (name, picture), how many members it has, and the profile of a
// member (members need not be friends of the account, so the group member profile API is asked, not the
// 1:1 one). A group the bot is no longer in answers 404: that is "unknown", never a failure.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { LineApiError, lineChannel } from '../line/line-channel.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { nowMs } from '../db/database.ts';
import { saveMemberProfile, type GroupMember } from './group-members.ts';
import { saveGroupSummary, type GroupKey } from './groups.ts';

/** A member's profile is asked again after this long. */
export const MEMBER_PROFILE_REFRESH_MS = 24 * 60 * 60 * 1000;
const PARALLEL_FETCHES = 4;

async function unlessGone<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LineApiError && error.isNotFound) return undefined;
    throw error;
  }
}

/** Fetches and stores the group's name, picture and member count; false when LINE no longer knows the bot in it. */
export async function refreshGroupSummary(ctx: AppContext, account: LineAccount, key: GroupKey): Promise<boolean> {
  const line = lineChannel(ctx.config, account.channelAccessToken);
  const summary = await unlessGone(() => line.call('group.summary', (c) => c.messaging.getGroupSummary(key.groupId)));
  if (!summary) return false;
  const count = await unlessGone(() => line.call('group.members.count', (c) => c.messaging.getGroupMemberCount(key.groupId)));
  await saveGroupSummary(ctx, key, { name: summary.groupName.slice(0, 255), pictureUrl: summary.pictureUrl ?? null, ...(count ? { memberCount: count.count } : {}) }, nowMs());
  return true;
}

/** Fetches the member count alone (members joined or left). */
export async function refreshMemberCount(ctx: AppContext, account: LineAccount, key: GroupKey): Promise<void> {
  const line = lineChannel(ctx.config, account.channelAccessToken);
  const count = await unlessGone(() => line.call('group.members.count', (c) => c.messaging.getGroupMemberCount(key.groupId)));
  if (count) await saveGroupSummary(ctx, key, { memberCount: count.count }, nowMs());
}

/** Fetches the profiles of members not asked today (in place and in the database); a failure leaves the old one. */
export async function refreshMemberProfiles(ctx: AppContext, account: LineAccount, key: GroupKey, members: GroupMember[]): Promise<void> {
  const now = nowMs();
  const stale = members.filter((m) => m.leftAt === null && (m.profileRefreshedAt === null || now - m.profileRefreshedAt >= MEMBER_PROFILE_REFRESH_MS));
  const line = lineChannel(ctx.config, account.channelAccessToken);
  await mapWithConcurrency(stale, PARALLEL_FETCHES, async (member) => {
    const profile = await unlessGone(() => line.call('group.member.profile', (c) => c.messaging.getGroupMemberProfile(key.groupId, member.lineUserId)));
    const changes = { displayName: profile ? profile.displayName.slice(0, 255) : member.displayName, pictureUrl: profile ? (profile.pictureUrl ?? null) : member.pictureUrl };
    Object.assign(member, changes, { profileRefreshedAt: now });
    await saveMemberProfile(ctx, key, member.lineUserId, changes, now);
  });
}
