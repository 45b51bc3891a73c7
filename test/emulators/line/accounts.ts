// Creating the emulator's channels and users, with random real-format values for anything omitted.
import { newAccessToken, newBasicId, newChannelId, newChannelSecret, newGroupId, newUserId, hex } from './ids.ts';
import type { Channel, Group, LineState, LoginChannel, SimUser } from './state.ts';

export interface ChannelOptions {
  channelId?: string;
  channelSecret?: string;
  accessToken?: string;
  botUserId?: string;
  basicId?: string;
  displayName?: string;
  pictureUrl?: string;
  /** Messages per month; null = no limit (default). */
  monthlyQuota?: number | null;
  /** Requests per second per channel (default 2000, LINE's limit for most endpoints). */
  rateLimitPerSecond?: number;
  webhookUrl?: string;
  chatMode?: 'chat' | 'bot';
}

export interface LoginChannelOptions {
  channelId?: string;
  channelSecret?: string;
  /** The linked Messaging API channel (bot_prompt, friendship status). */
  botChannelId?: string;
  liffIds?: string[];
  /** Endpoint URL of every LIFF app of the channel (default https://example.com/liff). */
  liffEndpointUrl?: string;
  callbackUrls?: string[];
}

export interface UserOptions {
  userId?: string;
  displayName?: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
  /** The email LINE Login returns with the email permission; null for an account without one. */
  email?: string | null;
}

export interface GroupOptions {
  groupId?: string;
  groupName?: string;
  pictureUrl?: string;
  /** Users already in the group (created with createUser) before any bot joins. */
  memberUserIds?: string[];
}

export function createAccounts(state: LineState) {
  function unique<T>(map: Map<string, T>, id: string, what: string): string {
    if (map.has(id)) throw new Error(`LINE emulator: ${what} ${id} already exists`);
    return id;
  }

  return {
    createChannel(o: ChannelOptions = {}): Channel {
      const channelId = unique(state.channels, o.channelId ?? newChannelId(), 'channel');
      const channel: Channel = {
        channelId,
        channelSecret: o.channelSecret ?? newChannelSecret(),
        accessToken: o.accessToken ?? newAccessToken(),
        botUserId: o.botUserId ?? newUserId(),
        basicId: o.basicId ?? newBasicId(),
        displayName: o.displayName ?? `Official Account ${channelId.slice(-4)}`,
        pictureUrl: o.pictureUrl ?? `https://profile.line-scdn.net/0h${hex(12)}`,
        webhookUrl: o.webhookUrl ?? null,
        webhookActive: !!o.webhookUrl,
        monthlyQuota: o.monthlyQuota ?? null,
        quotaUsed: 0,
        rateLimitPerSecond: o.rateLimitPerSecond ?? 2000,
        chatMode: o.chatMode ?? 'bot',
        markAsReadMode: o.chatMode === 'chat' ? 'manual' : 'auto',
      };
      state.channels.set(channelId, channel);
      return channel;
    },

    createLoginChannel(o: LoginChannelOptions = {}): LoginChannel {
      const channelId = unique(state.loginChannels, o.channelId ?? newChannelId(), 'login channel');
      if (o.botChannelId) state.channel(o.botChannelId);
      const liffIds = o.liffIds ?? [`${channelId}-${hex(4)}`];
      const channel: LoginChannel = {
        channelId,
        channelSecret: o.channelSecret ?? newChannelSecret(),
        botChannelId: o.botChannelId,
        liffIds,
        liffEndpoints: new Map(liffIds.map((id) => [id, o.liffEndpointUrl ?? 'https://example.com/liff'])),
        callbackUrls: o.callbackUrls ?? [],
      };
      state.loginChannels.set(channelId, channel);
      return channel;
    },

    createUser(o: UserOptions = {}): SimUser {
      const userId = unique(state.users, o.userId ?? newUserId(), 'user');
      const user: SimUser = {
        userId,
        displayName: o.displayName ?? `LINE User ${userId.slice(1, 5)}`,
        pictureUrl: o.pictureUrl ?? `https://profile.line-scdn.net/0h${userId.slice(1, 25)}`,
        statusMessage: o.statusMessage,
        language: o.language ?? 'ja',
        email: o.email === undefined ? `${userId.slice(1, 11)}@example.com` : o.email,
      };
      state.users.set(userId, user);
      return user;
    },

    /** A LINE group of users, without any bot yet: a channel's bot enters it with joinGroup. */
    createGroup(o: GroupOptions = {}): Group {
      const groupId = unique(state.groups, o.groupId ?? newGroupId(), 'group');
      const members = (o.memberUserIds ?? []).map((u) => state.user(u).userId);
      const group = state.groupOrNew(groupId, o);
      for (const u of members) group.members.add(u);
      return group;
    },
  };
}
