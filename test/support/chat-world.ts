// A world for chat tests: the real backend between the LINE and HubSpot emulators, an installed portal,
// a connected LINE account (row written directly, as the accounts feature would) and helpers to create
// linked LINE users, seed conversation rows and call the backend exactly as hubspot.fetch does.
import { randomBytes } from 'node:crypto';
import { secretContext } from '../../backend/src/accounts/repository.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';
import { startLineEmulator, type Channel, type LineEmulator } from '../emulators/line/index.ts';
import { startTestBackend, type TestBackend } from './backend.ts';
import { installPortal } from './installed-portal.ts';

export interface WorldAccount {
  id: number;
  portalId: number;
  channel: Channel;
  loginKey: string;
  webhookKey: string;
}

export interface LinkedUser {
  lineUserId: string;
  contactId: number;
  linkId: number;
}

export interface ChatWorld {
  line: LineEmulator;
  hubspot: HubSpotEmulator;
  backend: TestBackend;
  portalId: number;
  account: WorldAccount;
  connectAccount(portalId: number): Promise<WorldAccount>;
  installPortal(): Promise<number>;
  linkUser(o?: { account?: WorldAccount; contactId?: number; displayName?: string; followStatus?: 'following' | 'blocked' | 'unknown' }): Promise<LinkedUser>;
  insertMessage(user: LinkedUser, m: MessageSeed, account?: WorldAccount): Promise<number>;
  /** Calls the backend as hubspot.fetch would (signed, with portalId/userId/userEmail appended). */
  api(path: string, o?: { method?: string; body?: object; portalId?: number; userId?: number; userEmail?: string }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface MessageSeed {
  direction: 'inbound' | 'outbound';
  type?: string;
  text?: string | null;
  payload?: object;
  status?: string;
  createdAt?: number;
  markAsReadToken?: string;
  sentBy?: string;
  senderName?: string;
  lineMessageId?: string;
}

const key = () => randomBytes(24).toString('base64url');
let nextContactId = 1000;

export async function startChatWorld(options: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<ChatWorld> {
  const line = await startLineEmulator();
  const hubspot = await startHubSpotEmulator();
  const backend = await startTestBackend({
    databaseUrl: options.databaseUrl,
    lineBaseUrl: line.baseUrl,
    hubspot: { baseUrl: hubspot.baseUrl, appBaseUrl: hubspot.appBaseUrl, clientId: hubspot.clientId, clientSecret: hubspot.clientSecret, appId: hubspot.appId },
    env: options.env,
  });
  const ctx = backend.ctx;

  async function install(): Promise<number> {
    return (await installPortal(ctx, hubspot)).portalId;
  }

  async function connectAccount(portalId: number): Promise<WorldAccount> {
    const channel = line.createChannel();
    const now = Date.now();
    const used = await ctx.db('line_accounts').where({ portal_id: portalId }).max({ n: 'sequence' }).first();
    const webhookKey = key();
    const loginKey = key();
    const [row] = await ctx.db('line_accounts')
      .insert({
        portal_id: portalId,
        sequence: Number(used?.n ?? 0) + 1,
        channel_id: channel.channelId,
        bot_user_id: channel.botUserId,
        basic_id: channel.basicId,
        display_name: channel.displayName,
        picture_url: channel.pictureUrl,
        channel_secret: ctx.secrets.seal(channel.channelSecret, secretContext(channel.channelId, 'channel_secret')),
        channel_access_token: ctx.secrets.seal(channel.accessToken, secretContext(channel.channelId, 'channel_access_token')),
        webhook_key: webhookKey,
        login_key: loginKey,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    channel.webhookUrl = `${backend.url}/line/webhook/${webhookKey}`;
    channel.webhookActive = true;
    return { id: Number(typeof row === 'object' ? row.id : row), portalId, channel, loginKey, webhookKey };
  }

  const portalId = await install();
  const account = await connectAccount(portalId);

  return {
    line,
    hubspot,
    backend,
    portalId,
    account,
    connectAccount,
    installPortal: install,
    async linkUser(o = {}) {
      const target = o.account ?? account;
      const user = line.createUser({ displayName: o.displayName });
      const followStatus = o.followStatus ?? 'following';
      if (followStatus === 'following') line.events.follow(target.channel.channelId, user.userId);
      if (followStatus === 'blocked') line.events.unfollow(target.channel.channelId, user.userId);
      const contactId = o.contactId ?? nextContactId++;
      const now = Date.now();
      const [row] = await ctx.db('line_links')
        .insert({
          portal_id: target.portalId,
          line_account_id: target.id,
          line_user_id: user.userId,
          contact_id: contactId,
          display_name: user.displayName,
          picture_url: user.pictureUrl ?? null,
          follow_status: followStatus,
          friend_added_at: now,
          linked_at: now,
          linked_via: 'auto_created',
          created_at: now,
          updated_at: now,
        })
        .returning('id');
      return { lineUserId: user.userId, contactId, linkId: Number(typeof row === 'object' ? row.id : row) };
    },
    async insertMessage(user, m, target = account) {
      const type = m.type ?? 'text';
      const payload = m.payload ?? (type === 'text' ? { type, text: m.text ?? '' } : { type });
      const [row] = await ctx.db('messages')
        .insert({
          portal_id: target.portalId,
          line_account_id: target.id,
          line_user_id: user.lineUserId,
          direction: m.direction,
          type,
          text: m.text === undefined ? ((payload as { text?: string }).text ?? null) : m.text,
          payload: JSON.stringify(payload),
          line_message_id: m.lineMessageId ?? null,
          mark_as_read_token: m.markAsReadToken ?? null,
          status: m.status ?? (m.direction === 'inbound' ? 'received' : 'sent'),
          sent_by: m.sentBy ?? (m.direction === 'outbound' ? 'user:1' : null),
          sender_name: m.senderName ?? null,
          created_at: m.createdAt ?? Date.now(),
          updated_at: Date.now(),
        })
        .returning('id');
      return Number(typeof row === 'object' ? row.id : row);
    },
    async api(path, o = {}) {
      const res = await hubspot.hubspotFetch(`${backend.url}${path}`, {
        portalId: o.portalId ?? portalId,
        userId: o.userId,
        userEmail: o.userEmail,
        method: o.method ?? (o.body ? 'POST' : 'GET'),
        body: o.body,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await backend.stop();
      await line.close();
      await hubspot.close();
    },
  };
}
