// A world for chat tests: the real backend between the LINE and HubSpot emulators (./world.ts), an installed
// portal, a connected LINE account and helpers to create linked LINE users, seed conversation rows (through
// the conversation log's own functions, as the inbound worker and the senders store them) and call the
// backend exactly as hubspot.fetch does.
import { randomBytes } from 'node:crypto';
import { findAccount } from '../../backend/src/accounts/repository.ts';
import { ensureLinks, updateLink } from '../../backend/src/contacts/links.ts';
import { insertInboundMessage, insertOutboundMessage, markUnsent } from '../../backend/src/conversation/messages.ts';
import type { HubSpotEmulator } from '../emulators/hubspot/index.ts';
import type { LineEmulator } from '../emulators/line/index.ts';
import type { TestBackend } from './backend.ts';
import type { Timings } from '../../backend/src/timings.ts';
import { installPortal } from './installed-portal.ts';
import { connectChannel, startBackendWithEmulators, type ConnectedAccount } from './world.ts';

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
  account: ConnectedAccount;
  connectAccount(portalId: number): Promise<ConnectedAccount>;
  installPortal(): Promise<number>;
  linkUser(o?: { account?: ConnectedAccount; contactId?: number; displayName?: string; followStatus?: 'following' | 'blocked' | 'unknown' }): Promise<LinkedUser>;
  /** Stores a message as the inbound worker (received, then maybe unsent) or a sender (sending, sent, failed) does. */
  insertMessage(user: LinkedUser, m: MessageSeed, account?: ConnectedAccount): Promise<number>;
  /** Calls the backend as hubspot.fetch would (signed, with portalId/userId/userEmail appended). */
  api(path: string, o?: { method?: string; body?: object; portalId?: number; userId?: number; userEmail?: string; lostAnswers?: number }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

interface SeedContent {
  type?: string;
  text?: string | null;
  payload?: object;
  createdAt?: number;
}

interface InboundSeed extends SeedContent {
  direction: 'inbound';
  /** unsent: received, then taken back by the user. */
  status?: 'received' | 'unsent';
  markAsReadToken?: string;
  lineMessageId?: string;
}

interface OutboundSeed extends SeedContent {
  direction: 'outbound';
  status?: 'sending' | 'sent' | 'failed';
  sentBy?: string;
  senderName?: string;
}

export type MessageSeed = InboundSeed | OutboundSeed;

let nextContactId = 1000;

export async function startChatWorld(options: { databaseUrl?: string; env?: Record<string, string>; timings?: Timings } = {}): Promise<ChatWorld> {
  const world = await startBackendWithEmulators(options);
  const { line, hubspot, backend, ctx } = world;

  async function install(): Promise<number> {
    return (await installPortal(ctx, hubspot)).portalId;
  }

  const connectAccount = (portalId: number) => connectChannel({ ctx, line, portalId, webhookBaseUrl: backend.url });

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
      const stored = (await findAccount(ctx, target.portalId, target.id))!;
      const link = (await ensureLinks(ctx, stored, [user.userId])).get(user.userId)!;
      await updateLink(ctx, link, {
        contact_id: contactId,
        display_name: user.displayName,
        picture_url: user.pictureUrl ?? null,
        follow_status: followStatus,
        friend_added_at: now,
        linked_at: now,
        linked_via: 'auto_created',
      });
      return { lineUserId: user.userId, contactId, linkId: link.id };
    },
    async insertMessage(user, m, target = account) {
      const type = m.type ?? 'text';
      const payload = m.payload ?? (type === 'text' ? { type, text: m.text ?? '' } : { type });
      const content = {
        portalId: target.portalId,
        accountId: target.id,
        lineUserId: user.lineUserId,
        type,
        text: m.text === undefined ? ((payload as { text?: string }).text ?? null) : m.text,
        payload: JSON.stringify(payload),
      };
      const createdAt = m.createdAt ?? Date.now();
      if (m.direction === 'outbound') {
        const status = m.status ?? 'sent';
        return insertOutboundMessage(ctx, { ...content, status, sentBy: m.sentBy ?? 'user:1', senderName: m.senderName ?? null, createdAt, sentAt: status === 'sent' ? createdAt : null });
      }
      const lineMessageId = m.lineMessageId ?? String(BigInt(`0x${randomBytes(7).toString('hex')}`));
      const { id } = await insertInboundMessage(ctx, { ...content, lineMessageId, quoteToken: null, markAsReadToken: m.markAsReadToken ?? null, webhookEventId: null, createdAt });
      if (m.status === 'unsent') await markUnsent(ctx, target.portalId, id, JSON.stringify({ id: lineMessageId, type }), Date.now());
      return id;
    },
    api: (path, o = {}) => world.hubspotFetch(path, { ...o, portalId: o.portalId ?? portalId }),
    close: world.close,
  };
}
