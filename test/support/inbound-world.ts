// A world for inbound-event tests: the real backend between the LINE and HubSpot emulators (./world.ts), an installed
// portal whose LINE contact properties exist (created through HubSpot's API), and a connected LINE
// account whose emulated channel posts its webhooks to the backend.
import type { Knex } from 'knex';
import type { AppContext } from '../../backend/src/context.ts';
import { insertOutboundMessage } from '../../backend/src/conversation/messages.ts';
import { outboundSentJob } from '../../backend/src/conversation/outbound-sent-job.ts';
import { jobOf } from '../../backend/src/jobs/define-job.ts';
import type { CreatePortalOptions, HubSpotEmulator, HubSpotEmulatorOptions, Portal } from '../emulators/hubspot/index.ts';
import type { LineEmulator } from '../emulators/line/index.ts';
import type { Timings } from '../../backend/src/timings.ts';
import type { TestBackend } from './backend.ts';
import { installPortal } from './installed-portal.ts';
import { LINE_PROPERTY_GROUP, contactPropertiesFor } from '../../backend/src/properties/contact-properties.ts';
import { connectChannel, startBackendWithEmulators, type AccountOptions, type ChannelConnection, type ConnectedAccount } from './world.ts';

export type { AccountOptions };
/** The inbound tests' name for a connected account. */
export type { ConnectedAccount as InboundAccount } from './world.ts';

export interface InboundWorld {
  line: LineEmulator;
  hubspot: HubSpotEmulator;
  backend: TestBackend;
  ctx: AppContext;
  portal: Portal;
  account: ConnectedAccount;
  connectAccount(o?: AccountOptions): Promise<ConnectedAccount>;
  /** Resolves once no job is queued or running (retries included). */
  idle(timeoutMs?: number): Promise<void>;
  /**
   * An agent's text answer to `lineUserId`, recorded as the chat feature records one LINE accepted (the sent
   * row and its conversation.outbound-sent job); resolves once the worker has applied it.
   */
  answer(lineUserId: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** Creates the LINE property group and the properties of account `sequence`, as the provisioning job would. */
export async function createLineProperties(hubspot: HubSpotEmulator, accessToken: string, sequence: number): Promise<void> {
  const call = async (path: string, body: object, okStatuses: number[]) => {
    const res = await fetch(`${hubspot.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!okStatuses.includes(res.status)) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  };
  // The app's own definitions (the provisioning job's), written with the portal's token: this setup
  // also serves a backend that runs in another process.
  await call('/crm/v3/properties/contacts/groups', LINE_PROPERTY_GROUP, [201, 409]);
  const inputs = contactPropertiesFor({ sequence });
  await call('/crm/v3/properties/contacts/batch/create', { inputs }, [200, 201]);
}

/**
 * Stored webhook deliveries still waiting to be unpacked, and stored events still waiting for their job
 * (inbound/event-dispatch.ts), of one portal or all. Deliveries first: an unpack that commits between the
 * two reads has its events seen by the second. Read before the jobs, for the same reason.
 */
export async function inboundWaiting(db: Knex, portalId?: number): Promise<number> {
  const deliveries = db('inbound_deliveries');
  const events = db('inbound_events').whereNull('dispatched_at');
  if (portalId !== undefined) {
    deliveries.where({ portal_id: portalId });
    events.where({ portal_id: portalId });
  }
  const waitingDeliveries = Number((await deliveries.count({ n: '*' }).first())?.n);
  return waitingDeliveries + Number((await events.count({ n: '*' }).first())?.n);
}

/** Work not done yet: stored deliveries and events waiting (read first), and jobs queued or running. */
export async function pendingWork(db: Knex): Promise<number> {
  const waiting = await inboundWaiting(db);
  const jobs = await db('jobs').whereIn('state', ['queued', 'running']).count({ n: '*' }).first();
  return Number(jobs?.n) + waiting;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface AccountSetup extends ChannelConnection {
  hubspot: HubSpotEmulator;
  /** The portal's HubSpot access token, to create the account's contact properties with. */
  accessToken: string;
}

/** Connects a new emulated channel as the portal's next LINE account and creates its contact properties. */
export async function connectLineAccount(s: AccountSetup, options: AccountOptions = {}): Promise<ConnectedAccount> {
  const account = await connectChannel(s, options);
  await createLineProperties(s.hubspot, s.accessToken, account.sequence);
  return account;
}

export async function startInboundWorld(
  o: { databaseUrl?: string; env?: Record<string, string>; hubspot?: HubSpotEmulatorOptions; lineTrafficLog?: string; portal?: CreatePortalOptions; account?: AccountOptions; timings?: Timings } = {},
): Promise<InboundWorld> {
  const world = await startBackendWithEmulators({ databaseUrl: o.databaseUrl, env: o.env, hubspot: o.hubspot, line: { trafficLog: o.lineTrafficLog }, timings: o.timings, stopGraceMs: 1000 });
  const { line, hubspot, backend, ctx } = world;
  const portal = hubspot.createPortal(o.portal);
  const installed = await installPortal(ctx, hubspot, { portalId: portal.portalId });

  const connectAccount = (options: AccountOptions = {}) =>
    connectLineAccount({ ctx, line, hubspot, accessToken: installed.accessToken, portalId: portal.portalId, webhookBaseUrl: backend.url }, options);

  const account = await connectAccount(o.account);
  const idle = async (timeoutMs = 30_000) => {
    await waitUntil(async () => (await pendingWork(ctx.db)) === 0, 'every job is done', timeoutMs);
  };
  return {
    line,
    hubspot,
    backend,
    ctx,
    portal,
    account,
    connectAccount,
    idle,
    async answer(lineUserId, text) {
      const now = Date.now();
      const message = { portalId: portal.portalId, accountId: account.id, lineUserId, type: 'text', text, payload: JSON.stringify({ type: 'text', text }) };
      const id = await insertOutboundMessage(ctx, { ...message, status: 'sent', sentBy: 'user:1', senderName: 'Sato', createdAt: now, sentAt: now });
      await ctx.queue.enqueue(jobOf(outboundSentJob, { messageId: id }, { dedupeKey: `${outboundSentJob.type}:${id}`, portalId: portal.portalId, lineAccountId: account.id }));
      await idle();
    },
    close: world.close,
  };
}
