// join/leave (the bot) and memberJoined/memberLeft (users) in groups and rooms.
import { skipped, type EventHandler } from './event-effects.ts';
import { recordBotInGroup, recordGroupMembers } from './group-membership.ts';
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
  await recordBotInGroup(ctx, account, group.id, group.kind, true, event.timestamp);
  return { outcome: 'handled' };
};

export const handleLeave: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  await recordBotInGroup(ctx, account, group.id, group.kind, false, event.timestamp);
  return { outcome: 'handled' };
};

export const handleMemberJoined: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  await recordGroupMembers(ctx, account, group.id, memberIds(event.joined), true, event.timestamp);
  return { outcome: 'handled' };
};

export const handleMemberLeft: EventHandler = async (ctx, account, { event }) => {
  const group = groupOf(event);
  if (!group) return skipped();
  await recordGroupMembers(ctx, account, group.id, memberIds(event.left), false, event.timestamp);
  return { outcome: 'handled' };
};
