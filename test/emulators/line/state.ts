// The emulator's in-memory world: channels, users and their friendships, groups, issued tokens,
// retry keys, message contents and what every user received. Routes and the user simulator
// read and change it only through these types and helpers.
import { newMarkAsReadToken, newMessageId, newQuoteToken, newReplyToken } from './ids.ts';
import type { Clock } from '../clock.ts';

export { createClock, type Clock } from '../clock.ts';

export interface Channel {
  channelId: string;
  channelSecret: string;
  accessToken: string;
  botUserId: string;
  basicId: string;
  displayName: string;
  pictureUrl: string;
  webhookUrl: string | null;
  webhookActive: boolean;
  monthlyQuota: number | null;
  quotaUsed: number;
  rateLimitPerSecond: number;
  chatMode: 'chat' | 'bot';
  markAsReadMode: 'auto' | 'manual';
}

export interface LoginChannel {
  channelId: string;
  channelSecret: string;
  botChannelId?: string;
  liffIds: string[];
  /** The endpoint URL of each LIFF app (what GET /liff/v1/apps answers as view.url); mutable. */
  liffEndpoints: Map<string, string>;
  /** Registered callback URLs; empty means any http(s) URL is accepted. */
  callbackUrls: string[];
}

export interface SimUser {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
  email: string | null;
}

export interface SentMessage {
  id: string;
  quoteToken?: string;
}

export type DeliveryVia = 'push' | 'reply' | 'multicast' | 'broadcast' | 'narrowcast';

export interface Delivery {
  via: DeliveryVia;
  messages: object[];
  sentMessages: SentMessage[];
  retryKey?: string;
  requestId: string;
  at: number;
}

export interface Group {
  groupId: string;
  groupName: string;
  pictureUrl: string;
  members: Set<string>;
  bots: Set<string>;
}

export interface ReplyTokenState {
  channelId: string;
  /** userId, groupId or roomId the reply goes to. */
  target: string;
  expiresAt: number;
  used: boolean;
}

export interface StoredContent {
  bytes: Buffer;
  contentType: string;
  transcodingLeft: number;
  channelId?: string;
}

export interface RetryRecord {
  requestId: string;
  sentMessages?: SentMessage[];
  at: number;
}

export const REPLY_TOKEN_TTL_MS = 60_000;
export const REDELIVERED_REPLY_TOKEN_TTL_MS = 20 * 60_000;
export const RETRY_KEY_TTL_MS = 24 * 60 * 60_000;

// Message types that LINE returns a quote token for when sent by a bot.
const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);

export type LineState = ReturnType<typeof createState>;

export function createState(clock: Clock) {
  const channels = new Map<string, Channel>();
  const loginChannels = new Map<string, LoginChannel>();
  const users = new Map<string, SimUser>();
  /** `${channelId}:${userId}` → friendship; absent means the user never added the account. */
  const friendships = new Map<string, 'following' | 'blocked'>();
  const groups = new Map<string, Group>();
  const replyTokens = new Map<string, ReplyTokenState>();
  const retryKeys = new Map<string, RetryRecord>();
  const contents = new Map<string, StoredContent>();
  const quoteTokens = new Map<string, string>(); // token → channelId
  const markAsReadTokens = new Map<string, { channelId: string; userId: string }>();
  const readMarks: Array<{ channelId: string; userId: string; at: number }> = [];
  const loadingShown: Array<{ channelId: string; chatId: string; loadingSeconds: number; at: number }> = [];
  const linkTokens = new Map<string, { channelId: string; userId: string; expiresAt: number }>();
  const statelessTokens = new Map<string, { channelId: string; expiresAt: number }>();
  const received = new Map<string, Delivery[]>(); // `${channelId}:${target}`
  const narrowcasts = new Map<string, { channelId: string; acceptedAt: number; count: number }>();
  const rateWindows = new Map<string, number[]>();

  const key = (channelId: string, id: string) => `${channelId}:${id}`;

  function channel(channelId: string): Channel {
    const c = channels.get(channelId);
    if (!c) throw new Error(`LINE emulator: unknown channel ${channelId}`);
    return c;
  }

  function user(userId: string): SimUser {
    const u = users.get(userId);
    if (!u) throw new Error(`LINE emulator: unknown user ${userId} (create it with createUser first)`);
    return u;
  }

  /** The LINE Login channel a stateless token was issued to (LIFF server API). */
  function loginChannelByToken(token: string): LoginChannel | undefined {
    const stateless = statelessTokens.get(token);
    return stateless && stateless.expiresAt > clock.now() ? loginChannels.get(stateless.channelId) : undefined;
  }

  function channelByToken(token: string): Channel | undefined {
    for (const c of channels.values()) if (c.accessToken === token) return c;
    const stateless = statelessTokens.get(token);
    if (stateless && stateless.expiresAt > clock.now()) return channels.get(stateless.channelId);
    return undefined;
  }

  const friendship = (channelId: string, userId: string) => friendships.get(key(channelId, userId));
  const isFollowing = (channelId: string, userId: string) => friendship(channelId, userId) === 'following';

  function issueReplyToken(channelId: string, target: string, issuedAt: number): string {
    const token = newReplyToken();
    replyTokens.set(token, { channelId, target, expiresAt: issuedAt + REPLY_TOKEN_TTL_MS, used: false });
    return token;
  }

  function issueQuoteToken(channelId: string): string {
    const token = newQuoteToken();
    quoteTokens.set(token, channelId);
    return token;
  }

  function issueMarkAsReadToken(channelId: string, userId: string): string {
    const token = newMarkAsReadToken();
    markAsReadTokens.set(token, { channelId, userId });
    return token;
  }

  /** Creates sent-message IDs (and quote tokens) for a send request. */
  function sentMessagesFor(channelId: string, messages: Array<{ type?: unknown }>): SentMessage[] {
    return messages.map((m) => {
      const id = newMessageId();
      return QUOTABLE.has(String(m.type)) ? { id, quoteToken: issueQuoteToken(channelId) } : { id };
    });
  }

  /** The group with this id, created (without the bot) when the emulator does not know it yet. */
  function groupOrNew(groupId: string, o: { groupName?: string; pictureUrl?: string } = {}): Group {
    let g = groups.get(groupId);
    if (!g) {
      g = { groupId, groupName: o.groupName ?? `Group ${groupId.slice(1, 7)}`, pictureUrl: o.pictureUrl ?? `https://profile.line-scdn.net/0h${groupId.slice(1, 17)}`, members: new Set(), bots: new Set() };
      groups.set(groupId, g);
    }
    return g;
  }

  /** The group, when the channel's bot is in it (LINE events and group APIs exist only then). */
  function groupWithBot(channelId: string, groupId: string): Group {
    const g = groups.get(groupId);
    if (!g?.bots.has(channelId)) throw new Error(`LINE emulator: the bot of channel ${channelId} is not in group ${groupId}`);
    return g;
  }

  /** Whether a message to this target would reach someone (a following user, or a group the bot is in). */
  function reachable(channelId: string, target: string): boolean {
    const group = groups.get(target);
    if (group) return group.bots.has(channelId);
    return isFollowing(channelId, target);
  }

  /** Records a delivery to one target when it is reachable; returns whether it was delivered. */
  function deliver(channelId: string, target: string, d: Omit<Delivery, 'at'>): boolean {
    if (!reachable(channelId, target)) return false;
    const list = received.get(key(channelId, target)) ?? [];
    list.push({ ...d, at: clock.now() });
    received.set(key(channelId, target), list);
    return true;
  }

  /** Sliding one-second window per channel; returns false when the request exceeds the limit. */
  function takeRateToken(c: Channel): boolean {
    const now = clock.now();
    const window = (rateWindows.get(c.channelId) ?? []).filter((t) => t > now - 1000);
    if (window.length >= c.rateLimitPerSecond) {
      rateWindows.set(c.channelId, window);
      return false;
    }
    window.push(now);
    rateWindows.set(c.channelId, window);
    return true;
  }

  return {
    clock,
    channels,
    loginChannels,
    users,
    friendships,
    groups,
    replyTokens,
    retryKeys,
    contents,
    quoteTokens,
    markAsReadTokens,
    readMarks,
    loadingShown,
    linkTokens,
    statelessTokens,
    loginChannelByToken,
    received,
    narrowcasts,
    key,
    channel,
    user,
    channelByToken,
    friendship,
    isFollowing,
    issueReplyToken,
    issueQuoteToken,
    issueMarkAsReadToken,
    sentMessagesFor,
    reachable,
    deliver,
    groupOrNew,
    groupWithBot,
    takeRateToken,
  };
}
