// The world the accounts tests run in: the LINE and HubSpot emulators, the real backend on a fresh
// database, installed portals, and a signed hubspot.fetch like the settings page makes. The backend serves
// the accounts feature's routes, the install feature's portal routes (status, disconnect, admin roles) and
// the message templates the settings page also manages, without their jobs, so nothing runs in the
// background that the tests did not start (the provisioning a new or renamed account queues stays queued
// for the tests to see).
import { Router } from 'express';
import { healthRoutes } from '../../backend/src/health/routes.ts';
import { accountsFeature } from '../../backend/src/accounts/feature.ts';
import type { Feature } from '../../backend/src/feature.ts';
import { adminRolesRoutes } from '../../backend/src/install/admin-roles-routes.ts';
import { portalRoutes } from '../../backend/src/install/portal-routes.ts';
import { templatesFeature } from '../../backend/src/templates/feature.ts';
import type { HubSpotEmulator } from '../emulators/hubspot/index.ts';
import type { Channel, LineEmulator } from '../emulators/line/index.ts';
import type { Operation } from '../../src/app/settings/types.ts';
import type { TestBackend } from '../support/backend.ts';
import type { Engine, TestDatabase } from '../support/databases.ts';
import { createTestDatabase } from '../support/databases.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startBackendWithEmulators } from '../support/world.ts';
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
  /** hubspot.fetch as the settings page of `portalId` makes it (HubSpot's 15 s timeout); answers status and parsed JSON. */
  call(portalId: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Polls a 202's operation, as the settings page does, until it has succeeded or failed; answers it. */
  finish(portalId: number, accepted: { status: number; body: any }): Promise<Operation>;
  /** Connects an account the way the page does (POST, then polling): the finished operation and, when it succeeded, the account. */
  connect(portalId: number, form: AccountForm): Promise<{ operation: Operation; account: any }>;
  /** A new LINE channel; returns what an admin would paste into the form. */
  newChannel(o?: { displayName?: string }): { channel: Channel; form: AccountForm };
  /** Every channel newChannel created, to check that none of their secrets reached the logs. */
  channels: Channel[];
  stop(): Promise<void>;
}

/** `webhookReceiver: false` leaves /line/webhook/:key unanswered (404), as before the inbound feature exists. */
export async function startWorld(engine: Engine, o: { webhookReceiver?: boolean } = {}): Promise<World> {
  const database: TestDatabase = await createTestDatabase(engine);
  const portalSettings: Feature = { name: 'portal-settings', routes: (ctx) => Router().use(portalRoutes(ctx), adminRolesRoutes(ctx)) };
  const features: Feature[] = [{ name: 'health', routes: healthRoutes }, { name: accountsFeature.name, routes: accountsFeature.routes }, portalSettings, templatesFeature];
  if (o.webhookReceiver !== false) features.push(signedWebhookReceiver);
  const world = await startBackendWithEmulators({ databaseUrl: database.url, features });
  const { line, hubspot, backend } = world;
  const portalA = (await installPortal(backend.ctx, hubspot)).portalId;
  const portalB = (await installPortal(backend.ctx, hubspot)).portalId;
  const channels: Channel[] = [];
  const call: World['call'] = (portalId, method, path, body) => world.hubspotFetch(path, { portalId, method, body });
  const finish: World['finish'] = async (portalId, accepted) => {
    if (accepted.status !== 202) throw new Error(`expected 202 with an operation, got ${accepted.status}: ${JSON.stringify(accepted.body)}`);
    let operation: Operation = accepted.body.operation;
    while (operation.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const polled = await call(portalId, 'GET', `/api/accounts/operations/${operation.id}`);
      if (polled.status !== 200) throw new Error(`polling answered ${polled.status}: ${JSON.stringify(polled.body)}`);
      operation = polled.body.operation;
    }
    return operation;
  };
  return {
    line,
    channels,
    hubspot,
    backend,
    portalA,
    portalB,
    call,
    finish,
    async connect(portalId, form) {
      const operation = await finish(portalId, await call(portalId, 'POST', '/api/accounts', form));
      if (operation.state !== 'succeeded') return { operation, account: null };
      return { operation, account: (await call(portalId, 'GET', `/api/accounts/${operation.accountId}`)).body.account };
    },
    newChannel(options = {}) {
      const channel = line.createChannel(options);
      channels.push(channel);
      return { channel, form: { channelId: channel.channelId, channelSecret: channel.channelSecret, channelAccessToken: channel.accessToken } };
    },
    async stop() {
      await world.close();
      await database.drop();
    },
  };
}
