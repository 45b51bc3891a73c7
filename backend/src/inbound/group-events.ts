// join/leave (the bot), memberJoined/memberLeft (users) and messages in groups and rooms.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { keepGroupReplyToken, recordGroupMessage, recordGroupUnsend } from '../groups/group-inbound.ts';
import { skipped, type EventEffect, type EventHandler } from './event-effects.ts';
import { recordBotInGroup } from '../groups/groups.ts';
import { recordGroupMembers } from '../groups/group-members.ts';
import type { WebhookEvent } from './webhook-body.ts';

function groupOf(event: WebhookEvent): { id: string; kind: 'group' | 'room' } | undefined {
  const s = event.source;
  if (s?.type === 'group' && s.groupId) return { id: s.groupId, kind: 'group' };
  if (s?.type === 'room' && s.roomId) return { id: s.roomId, kind: 'room' };
  return undefined;
}

function memberIds(list: unknown): string[] {
  const members = (list as { members?: unknown } | undefined)?.members;
  if (!Array.isArray(members)) return [];
  return members.map((m) => (m as { userId?: unknown })?.userId).filter((id): id is string => typeof id === 'string' && id.length <= 64);
}

export const handleJoin: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  const key = { portalId: account.portalId, accountId: account.id, groupId: group.id };
  await recordBotInGroup(ctx, key, group.kind, true, event.timestamp);
  await keepGroupReplyToken(ctx, key, event);
  return { outcome: 'handled' };
};

export const handleLeave: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  await recordBotInGroup(ctx, { portalId: account.portalId, accountId: account.id, groupId: group.id }, group.kind, false, event.timestamp);
  return { outcome: 'handled' };
};

export const handleMemberJoined: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  const key = { portalId: account.portalId, accountId: account.id, groupId: group.id };
  await recordGroupMembers(ctx, key, memberIds(event.joined), true, event.timestamp);
  await keepGroupReplyToken(ctx, key, event);
  return { outcome: 'handled' };
};

export const handleMemberLeft: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  await recordGroupMembers(ctx, { portalId: account.portalId, accountId: account.id, groupId: group.id }, memberIds(event.left), false, event.timestamp);
  return { outcome: 'handled' };
};

/** A member wrote in a group or room: the group's log (groups feature). */
export async function handleGroupMessage(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  return (await recordGroupMessage(ctx, account, event)) ? { outcome: 'handled' } : skipped();
}

/** A member unsent a group message. */
export async function handleGroupUnsend(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  return (await recordGroupUnsend(ctx, account, event)) ? { outcome: 'handled' } : skipped();
}
