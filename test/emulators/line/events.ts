// Builders of webhook event objects in LINE's exact shapes. Building an event is the user's action
// happening: it issues reply/quote/mark-as-read tokens, stores media content and updates
// friendships and group membership; sending it is the webhook sender's job.
import { newGroupId, newMessageId, newWebhookEventId } from './ids.ts';
import { DEFAULT_MEDIA } from './media.ts';
import type { LineState } from './state.ts';

export type WebhookEvent = Record<string, unknown> & { type: string; webhookEventId: string; timestamp: number };

export interface EventOptions {
  mode?: 'active' | 'standby';
  /** The message is posted in this group (the bot must be a member). */
  groupId?: string;
}

export interface MediaOptions extends EventOptions {
  bytes?: Buffer;
  contentType?: string;
  /** Video/audio length in milliseconds. */
  duration?: number;
}

// Event types that carry a reply token (in active mode).
const REPLYABLE = new Set(['message', 'follow', 'postback', 'join', 'memberJoined', 'accountLink', 'beacon', 'videoPlayComplete', 'messageEdited', 'membership']);

export type EventFactory = ReturnType<typeof createEventFactory>;

export function createEventFactory(state: LineState) {
  function base(channelId: string, type: string, source: Record<string, unknown>, o: EventOptions = {}): WebhookEvent {
    state.channel(channelId);
    const timestamp = state.clock.now();
    const mode = o.mode ?? 'active';
    const event: WebhookEvent = { type, mode, timestamp, source, webhookEventId: newWebhookEventId(timestamp), deliveryContext: { isRedelivery: false } };
    if (REPLYABLE.has(type) && mode === 'active') {
      const target = String(source.groupId ?? source.roomId ?? source.userId);
      event.replyToken = state.issueReplyToken(channelId, target, timestamp);
    }
    return event;
  }

  function userSource(channelId: string, userId: string, o: EventOptions = {}) {
    state.user(userId);
    if (o.groupId) {
      // In a group a user talks to everyone: friendship with the account (or a block) does not matter.
      state.groupWithBot(channelId, o.groupId).members.add(userId);
      return { type: 'group', groupId: o.groupId, userId };
    }
    if (state.friendship(channelId, userId) === 'blocked') throw new Error(`LINE emulator: user ${userId} has blocked channel ${channelId}`);
    return { type: 'user', userId };
  }

  function message(channelId: string, userId: string, content: Record<string, unknown>, o: EventOptions = {}): WebhookEvent {
    const source = userSource(channelId, userId, o);
    const event = base(channelId, 'message', source, o);
    const msg: Record<string, unknown> = { id: newMessageId(), ...content };
    if (['text', 'sticker', 'image', 'video'].includes(String(content.type)) && msg.quoteToken === undefined) {
      msg.quoteToken = state.issueQuoteToken(channelId);
    }
    if (!o.groupId) msg.markAsReadToken = state.issueMarkAsReadToken(channelId, userId);
    event.message = msg;
    return event;
  }

  function media(channelId: string, userId: string, type: 'image' | 'video' | 'audio', o: MediaOptions = {}): WebhookEvent {
    const content: Record<string, unknown> = { type, contentProvider: { type: 'line' } };
    if (type !== 'image') content.duration = o.duration ?? 5000;
    const event = message(channelId, userId, content, o);
    const id = String((event.message as { id: string }).id);
    const dflt = DEFAULT_MEDIA[type];
    state.contents.set(id, { bytes: o.bytes ?? dflt.bytes, contentType: o.contentType ?? dflt.contentType, transcodingLeft: 0, channelId });
    return event;
  }

  return {
    text: (channelId: string, userId: string, text: string, o: EventOptions & { quoteToken?: string; quotedMessageId?: string } = {}) =>
      message(channelId, userId, { type: 'text', text, ...(o.quoteToken ? { quoteToken: o.quoteToken } : {}), ...(o.quotedMessageId ? { quotedMessageId: o.quotedMessageId } : {}) }, o),
    sticker: (channelId: string, userId: string, packageId: string, stickerId: string, o: EventOptions & { stickerResourceType?: string; keywords?: string[] } = {}) =>
      message(channelId, userId, { type: 'sticker', packageId, stickerId, stickerResourceType: o.stickerResourceType ?? 'STATIC', ...(o.keywords ? { keywords: o.keywords } : {}) }, o),
    image: (channelId: string, userId: string, o: MediaOptions = {}) => media(channelId, userId, 'image', o),
    video: (channelId: string, userId: string, o: MediaOptions = {}) => media(channelId, userId, 'video', o),
    audio: (channelId: string, userId: string, o: MediaOptions = {}) => media(channelId, userId, 'audio', o),
    file(channelId: string, userId: string, fileName: string, bytes: Buffer, o: EventOptions & { contentType?: string } = {}): WebhookEvent {
      const event = message(channelId, userId, { type: 'file', fileName, fileSize: bytes.length }, o);
      state.contents.set(String((event.message as { id: string }).id), { bytes, contentType: o.contentType ?? 'application/octet-stream', transcodingLeft: 0, channelId });
      return event;
    },
    location: (channelId: string, userId: string, loc: { title?: string; address?: string; latitude: number; longitude: number }, o: EventOptions = {}) =>
      message(channelId, userId, { type: 'location', ...loc }, o),
    postback: (channelId: string, userId: string, data: string, params?: Record<string, string>, o: EventOptions = {}) => {
      const event = base(channelId, 'postback', userSource(channelId, userId, o), o);
      event.postback = params ? { data, params } : { data };
      return event;
    },
    follow(channelId: string, userId: string, o: { isUnblocked?: boolean } = {}): WebhookEvent {
      state.user(userId);
      const wasBlocked = state.friendship(channelId, userId) === 'blocked';
      state.friendships.set(state.key(channelId, userId), 'following');
      const event = base(channelId, 'follow', { type: 'user', userId });
      event.follow = { isUnblocked: o.isUnblocked ?? wasBlocked };
      return event;
    },
    /** The user blocks the account (LINE has no "unfriend": unfollow means blocked). */
    unfollow(channelId: string, userId: string): WebhookEvent {
      state.user(userId);
      state.friendships.set(state.key(channelId, userId), 'blocked');
      return base(channelId, 'unfollow', { type: 'user', userId });
    },
    unsend: (channelId: string, userId: string, messageId: string, o: EventOptions = {}) => {
      const event = base(channelId, 'unsend', userSource(channelId, userId, o), o);
      event.unsend = { messageId };
      return event;
    },
    messageEdited: (channelId: string, userId: string, messageId: string, text: string, o: EventOptions = {}) => {
      const event = base(channelId, 'messageEdited', userSource(channelId, userId, o), o);
      event.message = { id: messageId, type: 'text', text };
      return event;
    },
    join(channelId: string, groupId: string = newGroupId(), memberUserIds: string[] = [], o: { groupName?: string } = {}): WebhookEvent {
      const g = state.groupOrNew(groupId, o);
      g.bots.add(channelId);
      for (const u of memberUserIds) g.members.add(u);
      return base(channelId, 'join', { type: 'group', groupId });
    },
    /** The bot is removed from the group (by a member, or through the leave API). */
    leave(channelId: string, groupId: string): WebhookEvent {
      state.groupWithBot(channelId, groupId).bots.delete(channelId);
      return base(channelId, 'leave', { type: 'group', groupId });
    },
    memberJoined(channelId: string, groupId: string, userIds: string[]): WebhookEvent {
      const g = state.groupWithBot(channelId, groupId);
      for (const u of userIds) g.members.add(state.user(u).userId);
      const event = base(channelId, 'memberJoined', { type: 'group', groupId });
      event.joined = { members: userIds.map((userId) => ({ type: 'user', userId })) };
      return event;
    },
    memberLeft(channelId: string, groupId: string, userIds: string[]): WebhookEvent {
      const g = state.groupWithBot(channelId, groupId);
      for (const u of userIds) g.members.delete(u);
      const event = base(channelId, 'memberLeft', { type: 'group', groupId });
      event.left = { members: userIds.map((userId) => ({ type: 'user', userId })) };
      return event;
    },
    accountLink(channelId: string, userId: string, nonce: string, result: 'ok' | 'failed' = 'ok'): WebhookEvent {
      state.user(userId);
      const event = base(channelId, 'accountLink', { type: 'user', userId });
      event.link = { result, nonce };
      return event;
    },
    /** Any other event type (forward compatibility tests); `extra` is merged into the event. */
    custom(channelId: string, userId: string, type: string, extra: Record<string, unknown> = {}): WebhookEvent {
      return { ...base(channelId, type, { type: 'user', userId }), ...extra };
    },
  };
}
