// The world the accounts tests run in: the LINE and HubSpot emulators, the real backend on a fresh
// database, installed portals, and a signed hubspot.fetch like the settings page makes.
import { healthRoutes } from '../../backend/src/health/routes.ts';
import { accountsFeature } from '../../backend/src/accounts/feature.ts';
import type { Feature } from '../../backend/src/features.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';
import { startLineEmulator, type Channel, type LineEmulator } from '../emulators/line/index.ts';
import { startTestBackend, type TestBackend } from '../support/backend.ts';
import type { Engine, TestDatabase } from '../support/databases.ts';
import { createTestDatabase } from '../support/databases.ts';
import { installPortal } from '../support/installed-portal.ts';
import { signedWebhookReceiver } from './webhook-receiver-feature.ts';

/** The three values an admin pastes into the "Add account" form. */
export interface AccountForm {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
}

export interface World {
  line: LineEmulator;
  hubspot: HubSpotEmulator;
  backend: TestBackend;
  portalA: number;
  portalB: number;
  /** hubspot.fetch as the settings page of `portalId` makes it; answers status and parsed JSON. */
  call(portalId: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A new LINE channel; returns what an admin would paste into the form. */
  newChannel(o?: { displayName?: string }): { channel: Channel; form: AccountForm };
  /** Every channel newChannel created, to check that none of their secrets reached the logs. */
  channels: Channel[];
  stop(): Promise<void>;
}

/** `webhookReceiver: false` leaves /line/webhook/:key unanswered (404), as before the inbound feature exists. */
export async function startWorld(engine: Engine, o: { webhookReceiver?: boolean } = {}): Promise<World> {
  const database: TestDatabase = await createTestDatabase(engine);
  const line = await startLineEmulator();
  const hubspot = await startHubSpotEmulator();
  const features: Feature[] = [{ name: 'health', routes: healthRoutes }, accountsFeature];
  if (o.webhookReceiver !== false) features.push(signedWebhookReceiver);
  const backend = await startTestBackend({
    databaseUrl: database.url,
    lineBaseUrl: line.baseUrl,
    hubspot: { baseUrl: hubspot.baseUrl, appBaseUrl: hubspot.appBaseUrl, clientId: hubspot.clientId, clientSecret: hubspot.clientSecret, appId: hubspot.appId },
    features,
  });
  const portalA = (await installPortal(backend.ctx, hubspot)).portalId;
  const portalB = (await installPortal(backend.ctx, hubspot)).portalId;
  const channels: Channel[] = [];
  return {
    line,
    channels,
    hubspot,
    backend,
    portalA,
    portalB,
    async call(portalId, method, path, body) {
      const res = await hubspot.hubspotFetch(`${backend.url}${path}`, { portalId, method, body, timeoutMs: 60_000 });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    newChannel(options = {}) {
      const channel = line.createChannel(options);
      channels.push(channel);
      return { channel, form: { channelId: channel.channelId, channelSecret: channel.channelSecret, channelAccessToken: channel.accessToken } };
    },
    async stop() {
      await backend.stop();
      await Promise.all([line.close(), hubspot.close()]);
      await database.drop();
    },
  };
}
