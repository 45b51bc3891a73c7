// The LINE Platform emulator: a stateful, in-memory stand-in for the Messaging API, its content
// host, webhooks and LINE Login, started in-process on loopback. This file is its public contract.
import { createTrafficLog } from '../traffic-log.ts';
import { createAccounts } from './accounts.ts';
import type { ChannelOptions, GroupOptions, LoginChannelOptions, UserOptions } from './accounts.ts';
import { createEventFactory } from './events.ts';
import type { EventFactory } from './events.ts';
import { createFaults } from './faults.ts';
import type { Faults } from './faults.ts';
import { createLoginState } from './login-state.ts';
import type { AuthorizePlan } from './login-state.ts';
import { createRecorder } from './recorder.ts';
import type { RecordedRequest } from './recorder.ts';
import { createLineApp, listen } from './server.ts';
import { createClock, createState } from './state.ts';
import type { Channel, Clock, Delivery, Group, LoginChannel, SimUser } from './state.ts';
import express from 'express';
import { lineControlRoutes } from './control-routes.ts';
import { createUserSimulator } from './users.ts';
import { createWebhookSender } from './webhook-sender.ts';
import type { SentWebhook, WebhookAnswer } from './webhook-sender.ts';

export type { Channel, Clock, Delivery, Group, LoginChannel, SimUser } from './state.ts';
export type { ChannelOptions, GroupOptions, LoginChannelOptions, UserOptions } from './accounts.ts';
export type { EventFactory, EventOptions, MediaOptions, WebhookEvent } from './events.ts';
export type { FaultSpec, Faults } from './faults.ts';
export type { AuthorizePlan } from './login-state.ts';
export type { RecordedRequest } from './recorder.ts';
export type { InteractionResult } from './users.ts';
export type { SentWebhook, WebhookAnswer } from './webhook-sender.ts';
export { signBody } from './webhook-sender.ts';

export interface LineEmulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** JSONL traffic log for spec-check; default process.env.EMULATOR_TRAFFIC_LOG; '' disables it. */
  trafficLog?: string;
  /** How long a webhook POST may take before it counts as failed (status 0). Default 10 s. */
  webhookTimeoutMs?: number;
}

export interface LineLoginControl {
  /** The next authorize request is answered as this user would (queued, one-shot). */
  nextAuthorize(plan: AuthorizePlan): void;
  /** What users do when nothing is queued; null (default) answers an error page. */
  setDefaultAuthorize(plan: AuthorizePlan | null): void;
  /** The ES256 ID token liff.getIDToken() would return in LIFF app `liffId`. */
  liffIdToken(o: { liffId: string; userId: string; nonce?: string; withoutEmail?: boolean }): string;
  /** URL of the JWKS that verifies LIFF ID tokens. */
  jwksUrl: string;
}

export interface LineEmulator extends ReturnType<typeof createUserSimulator> {
  baseUrl: string;
  close(): Promise<void>;
  createChannel(o?: ChannelOptions): Channel;
  createLoginChannel(o?: LoginChannelOptions): LoginChannel;
  createUser(o?: UserOptions): SimUser;
  /** A group of users with no bot in it yet; joinGroup(channelId, group.groupId) brings a channel's bot in. */
  createGroup(o?: GroupOptions): Group;
  /** The live state of a group (members, bots in it); undefined for an unknown id. */
  group(groupId: string): Group | undefined;
  /** The live state of a channel (mutable: e.g. change accessToken or webhookUrl). */
  channel(channelId: string): Channel;
  /** Sends several events (possibly of many users) in one signed webhook body. */
  deliver(channelId: string, events: object[], o?: { redelivery?: boolean }): Promise<WebhookAnswer>;
  /** Sends an already-sent event again with deliveryContext.isRedelivery = true. */
  redeliver(channelId: string, webhookEventId: string): Promise<WebhookAnswer>;
  /** Event builders (they change the world like the action would) for batching with deliver(). */
  events: EventFactory;
  /** What a user (or group) received from the channel, in order; blocked users receive nothing. */
  received(channelId: string, userIdOrGroupId: string): Delivery[];
  friendship(channelId: string, userId: string): 'following' | 'blocked' | 'none';
  /** Chats marked as read through the API. */
  readMarks(channelId: string): Array<{ userId: string; at: number }>;
  /** Loading animations shown through the API. */
  loadingShown(channelId: string): Array<{ chatId: string; loadingSeconds: number; at: number }>;
  requests: RecordedRequest[];
  webhooks: SentWebhook[];
  faults: Faults;
  setContent(messageId: string, c: { bytes: Buffer; contentType: string; transcodingFor?: number; channelId?: string }): void;
  setQuota(channelId: string, q: { limit: number | null; used?: number }): void;
  clock: Clock;
  login: LineLoginControl;
}

export async function startLineEmulator(opts: LineEmulatorOptions = {}): Promise<LineEmulator> {
  const log = createTrafficLog(opts.trafficLog ?? process.env.EMULATOR_TRAFFIC_LOG);
  const clock = createClock();
  const state = createState(clock);
  const accounts = createAccounts(state);
  const events = createEventFactory(state);
  const webhooks = createWebhookSender(state, log, opts.webhookTimeoutMs);
  const login = createLoginState(state);
  const recorder = createRecorder(log, clock.now);
  const faults = createFaults();
  const control = express.Router();
  const app = createLineApp({ state, login, events, webhooks, recorder: recorder.middleware, faults: faults.middleware, control });
  const server = await listen(app, opts.host ?? '127.0.0.1', opts.port ?? 0);

  const emulator: LineEmulator = {
    ...createUserSimulator(events, webhooks),
    ...accounts,
    baseUrl: server.baseUrl,
    close: server.close,
    channel: state.channel,
    group: (groupId) => state.groups.get(groupId),
    deliver: webhooks.deliver,
    redeliver: webhooks.redeliver,
    events,
    received: (channelId, target) => [...(state.received.get(state.key(channelId, target)) ?? [])],
    friendship: (channelId, userId) => state.friendship(channelId, userId) ?? 'none',
    readMarks: (channelId) => state.readMarks.filter((m) => m.channelId === channelId).map(({ userId, at }) => ({ userId, at })),
    loadingShown: (channelId) => state.loadingShown.filter((l) => l.channelId === channelId).map(({ chatId, loadingSeconds, at }) => ({ chatId, loadingSeconds, at })),
    requests: recorder.requests,
    webhooks: webhooks.webhooks,
    faults: { inject: faults.inject, clear: faults.clear },
    setContent(messageId, c) {
      state.contents.set(messageId, { bytes: c.bytes, contentType: c.contentType, transcodingLeft: c.transcodingFor ?? 0, channelId: c.channelId });
    },
    setQuota(channelId, q) {
      const channel = state.channel(channelId);
      channel.monthlyQuota = q.limit;
      if (q.used !== undefined) channel.quotaUsed = q.used;
    },
    clock,
    login: {
      nextAuthorize: login.nextAuthorize,
      setDefaultAuthorize: login.setDefaultAuthorize,
      liffIdToken: login.liffIdToken,
      jwksUrl: `${server.baseUrl}/oauth2/v2.1/certs`,
    },
  };
  control.use(lineControlRoutes(emulator));
  return emulator;
}
