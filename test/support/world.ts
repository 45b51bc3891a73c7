// What every integration-test world starts from: the real backend between the LINE and HubSpot emulators,
// a signed hubspot.fetch into it, and LINE accounts connected by writing their row as the accounts
// feature would. The feature worlds (chat, inbound, accounts, install) add portals and helpers on top.
import { randomBytes } from 'node:crypto';
import { insertAccount, updateAccount, type TimelineMode } from '../../backend/src/accounts/repository.ts';
import type { AppContext } from '../../backend/src/context.ts';
import type { HubSpotFetchOptions } from '../emulators/hubspot/app-side.ts';
import { startHubSpotEmulator, type HubSpotEmulator, type HubSpotEmulatorOptions } from '../emulators/hubspot/index.ts';
import { startLineEmulator, type Channel, type LineEmulator, type LineEmulatorOptions } from '../emulators/line/index.ts';
import { startTestBackend, type TestBackend, type TestBackendOptions } from './backend.ts';
import { hubspotLimitsFor, TEST_TIMINGS } from './test-timings.ts';

export interface BackendWithEmulators {
  line: LineEmulator;
  hubspot: HubSpotEmulator;
  backend: TestBackend;
  ctx: AppContext;
  /**
   * Calls the backend as hubspot.fetch does (signed, portalId/userId/userEmail appended); answers the
   * status and the parsed JSON. Without a method, a call with a body is a POST.
   */
  hubspotFetch(path: string, o: HubSpotFetchOptions): Promise<{ status: number; body: any }>;
  /** Stops the backend, then both emulators. */
  close(): Promise<void>;
}

export interface BackendWithEmulatorsOptions extends Pick<TestBackendOptions, 'databaseUrl' | 'env' | 'features' | 'timings'> {
  line?: LineEmulatorOptions;
  hubspot?: HubSpotEmulatorOptions;
  /** How long stopping waits for running jobs; unset: the backend's configured grace. */
  stopGraceMs?: number;
}

export async function startBackendWithEmulators(o: BackendWithEmulatorsOptions = {}): Promise<BackendWithEmulators> {
  const timings = o.timings ?? TEST_TIMINGS;
  const line = await startLineEmulator(o.line);
  const hubspot = await startHubSpotEmulator({ ...hubspotLimitsFor(timings), ...o.hubspot });
  const backend = await startTestBackend({
    databaseUrl: o.databaseUrl,
    env: o.env,
    features: o.features,
    timings,
    lineBaseUrl: line.baseUrl,
    hubspot: { baseUrl: hubspot.baseUrl, appBaseUrl: hubspot.appBaseUrl, clientId: hubspot.clientId, clientSecret: hubspot.clientSecret, appId: hubspot.appId },
  });
  // As src/app/app-hsmeta.json declares: extensions may fetch only the backend's /api/.
  hubspot.permitFetchUrls([`${backend.url}/api/`]);
  return {
    line,
    hubspot,
    backend,
    ctx: backend.ctx,
    async hubspotFetch(path, options) {
      const res = await hubspot.hubspotFetch(`${backend.url}${path}`, { ...options, method: options.method ?? (options.body ? 'POST' : 'GET') });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await backend.stop(o.stopGraceMs);
      await Promise.all([line.close(), hubspot.close()]);
    },
  };
}

export interface ConnectedAccount {
  id: number;
  portalId: number;
  /** 1: contact properties with plain names; N: names with `_N`. */
  sequence: number;
  channel: Channel;
  webhookKey: string;
  loginKey: string;
}

export interface AccountOptions {
  autoCreateContacts?: boolean;
  autoCreateCompanies?: boolean;
  ownerTasks?: boolean;
  timelineMode?: TimelineMode;
}

export interface ChannelConnection {
  /** Only db and secrets are used, so a test may pass them for a backend running in another process. */
  ctx: Pick<AppContext, 'db' | 'secrets'>;
  line: LineEmulator;
  portalId: number;
  /** The backend's public base URL, where the channel's webhooks go. */
  webhookBaseUrl: string;
}

const key = () => randomBytes(24).toString('base64url');

/** Connects a new emulated channel as the portal's next LINE account, its webhook pointing at the backend. */
export async function connectChannel(s: ChannelConnection, options: AccountOptions = {}): Promise<ConnectedAccount> {
  const { ctx, line, portalId } = s;
  const channel = line.createChannel();
  const webhookKey = key();
  const loginKey = key();
  const { id, sequence } = await insertAccount(ctx, {
    portalId,
    channelId: channel.channelId,
    channelSecret: channel.channelSecret,
    channelAccessToken: channel.accessToken,
    botUserId: channel.botUserId,
    basicId: channel.basicId,
    displayName: channel.displayName,
    pictureUrl: channel.pictureUrl,
    webhookKey,
    loginKey,
  });
  await updateAccount(ctx, portalId, id, {
    autoCreateContacts: options.autoCreateContacts ?? true,
    autoCreateCompanies: options.autoCreateCompanies ?? false,
    ownerTasks: options.ownerTasks ?? true,
    timelineMode: options.timelineMode ?? 'app_events',
  });
  channel.webhookUrl = `${s.webhookBaseUrl}/line/webhook/${webhookKey}`;
  channel.webhookActive = true;
  return { id, portalId, sequence, channel, webhookKey, loginKey };
}
