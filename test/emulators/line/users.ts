// Plays LINE users interacting with a channel: each action builds its event (changing the world)
// and POSTs it as a signed webhook, resolving to the backend's answer and the events sent.
import type { EventFactory, EventOptions, MediaOptions, WebhookEvent } from './events.ts';
import type { WebhookAnswer, WebhookSender } from './webhook-sender.ts';

export interface InteractionResult extends WebhookAnswer {
  events: WebhookEvent[];
}

export function createUserSimulator(events: EventFactory, webhooks: WebhookSender) {
  async function send(channelId: string, ...sent: WebhookEvent[]): Promise<InteractionResult> {
    return { ...(await webhooks.deliver(channelId, sent)), events: sent };
  }

  return {
    follow: (channelId: string, userId: string, o?: { isUnblocked?: boolean }) => send(channelId, events.follow(channelId, userId, o)),
    /** The user blocks the account: pushes then answer 200 but deliver nothing, and the profile is 404. */
    unfollow: (channelId: string, userId: string) => send(channelId, events.unfollow(channelId, userId)),
    sendText: (channelId: string, userId: string, text: string, o?: EventOptions & { quoteToken?: string; quotedMessageId?: string }) =>
      send(channelId, events.text(channelId, userId, text, o)),
    sendSticker: (channelId: string, userId: string, packageId: string, stickerId: string, o?: EventOptions) =>
      send(channelId, events.sticker(channelId, userId, packageId, stickerId, o)),
    sendImage: (channelId: string, userId: string, o?: MediaOptions) => send(channelId, events.image(channelId, userId, o)),
    sendVideo: (channelId: string, userId: string, o?: MediaOptions) => send(channelId, events.video(channelId, userId, o)),
    sendAudio: (channelId: string, userId: string, o?: MediaOptions) => send(channelId, events.audio(channelId, userId, o)),
    sendFile: (channelId: string, userId: string, fileName: string, bytes: Buffer, o?: EventOptions & { contentType?: string }) =>
      send(channelId, events.file(channelId, userId, fileName, bytes, o)),
    sendLocation: (channelId: string, userId: string, loc: { title?: string; address?: string; latitude: number; longitude: number }, o?: EventOptions) =>
      send(channelId, events.location(channelId, userId, loc, o)),
    postback: (channelId: string, userId: string, data: string, params?: Record<string, string>, o?: EventOptions) =>
      send(channelId, events.postback(channelId, userId, data, params, o)),
    unsend: (channelId: string, userId: string, messageId: string, o?: EventOptions) => send(channelId, events.unsend(channelId, userId, messageId, o)),
    editMessage: (channelId: string, userId: string, messageId: string, text: string, o?: EventOptions) =>
      send(channelId, events.messageEdited(channelId, userId, messageId, text, o)),
    joinGroup: (channelId: string, groupId?: string, memberUserIds?: string[], o?: { groupName?: string }) =>
      send(channelId, events.join(channelId, groupId, memberUserIds, o)),
    leaveGroup: (channelId: string, groupId: string) => send(channelId, events.leave(channelId, groupId)),
    memberJoined: (channelId: string, groupId: string, userIds: string[]) => send(channelId, events.memberJoined(channelId, groupId, userIds)),
    memberLeft: (channelId: string, groupId: string, userIds: string[]) => send(channelId, events.memberLeft(channelId, groupId, userIds)),
    accountLink: (channelId: string, userId: string, nonce: string, result?: 'ok' | 'failed') =>
      send(channelId, events.accountLink(channelId, userId, nonce, result)),
  };
}
