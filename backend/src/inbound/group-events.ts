// join/leave (the bot), memberJoined/memberLeft (users) and messages in groups and rooms: the groups
// feature records them and brings them to the group's company.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { recordBotMembership, recordGroupEdit, recordGroupMessage, recordGroupUnsend, recordMembersChange } from '../groups/group-inbound.ts';
import { skipped, type EventEffect, type EventHandler } from './event-effects.ts';
import type { WebhookEvent } from './webhook-body.ts';

const outcome = (handled: boolean): EventEffect => (handled ? { outcome: 'handled' } : skipped());

export const handleJoin: EventHandler = async (ctx, account, { event }) => outcome(await recordBotMembership(ctx, account, event, true));
export const handleLeave: EventHandler = async (ctx, account, { event }) => outcome(await recordBotMembership(ctx, account, event, false));
export const handleMemberJoined: EventHandler = async (ctx, account, { event }) => outcome(await recordMembersChange(ctx, account, event, true));
export const handleMemberLeft: EventHandler = async (ctx, account, { event }) => outcome(await recordMembersChange(ctx, account, event, false));

/** A member wrote in a group or room. */
export async function handleGroupMessage(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  return outcome(await recordGroupMessage(ctx, account, event));
}

/** A member unsent a group message. */
export async function handleGroupUnsend(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  return outcome(await recordGroupUnsend(ctx, account, event));
}

/** A member edited a group message. */
export async function handleGroupEdit(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  return outcome(await recordGroupEdit(ctx, account, event));
}
