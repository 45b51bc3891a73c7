// join/leave (the bot), memberJoined/memberLeft (users) and messages in groups and rooms: the groups
// feature records them and brings them to the group's company.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { recordBotMembership, recordGroupEdit, recordGroupMessage, recordGroupUnsend, recordMembersChange } from '../groups/group-inbound.ts';
import { enqueueMediaFetch } from '../media/media-jobs.ts';
import { hostedByLine } from '../media/media-messages.ts';
import { deleteMedia } from '../media/media-store.ts';
import { skipped, type EventEffect, type EventHandler } from './event-effects.ts';
import type { WebhookEvent } from './webhook-body.ts';

const outcome = (handled: boolean): EventEffect => (handled ? { outcome: 'handled' } : skipped());

export const handleJoin: EventHandler = async (ctx, account, { event }) => outcome(await recordBotMembership(ctx, account, event, true));
export const handleLeave: EventHandler = async (ctx, account, { event }) => outcome(await recordBotMembership(ctx, account, event, false));
export const handleMemberJoined: EventHandler = async (ctx, account, { event }) => outcome(await recordMembersChange(ctx, account, event, true));
export const handleMemberLeft: EventHandler = async (ctx, account, { event }) => outcome(await recordMembersChange(ctx, account, event, false));

/** A member wrote in a group or room; what they posted on LINE's side is downloaded promptly, as in 1:1 chats. */
export async function handleGroupMessage(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  const stored = await recordGroupMessage(ctx, account, event);
  if (stored && stored.status !== 'unsent' && hostedByLine(stored.message)) {
    await enqueueMediaFetch(ctx, { id: stored.id, portalId: account.portalId, accountId: account.id, source: 'group' });
  }
  return outcome(stored !== undefined);
}

/** A member unsent a group message: what it showed is kept nowhere, its content included. */
export async function handleGroupUnsend(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  const unsentId = await recordGroupUnsend(ctx, account, event);
  if (unsentId !== undefined) await deleteMedia(ctx, account.portalId, unsentId, 'group');
  return outcome(unsentId !== undefined);
}

/** A member edited a group message. */
export async function handleGroupEdit(ctx: AppContext, account: LineAccount, event: WebhookEvent): Promise<EventEffect> {
  return outcome(await recordGroupEdit(ctx, account, event));
}
