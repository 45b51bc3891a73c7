// The real backend on a fresh database between the emulators, and the steps a person takes to install the
// app (browser following the redirects). Shared by test/install and test/hubspot. Most accounts here are
// stored without a LINE channel behind them (insertLineAccount); connectLineAccount connects an emulated
// channel for tests that need LINE users to write through the webhook.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../backend/src/context.ts';
import { findAccount, insertAccount } from '../../backend/src/accounts/repository.ts';
import { ensureLinks, updateLink } from '../../backend/src/contacts/links.ts';
import { insertInboundMessage } from '../../backend/src/conversation/messages.ts';
import type { HubSpotEmulator, HubSpotEmulatorOptions } from '../emulators/hubspot/index.ts';
import type { LineEmulator } from '../emulators/line/index.ts';
import type { TestBackend } from '../support/backend.ts';
import { createTestDatabase, type Engine, type TestDatabase } from '../support/databases.ts';
import { inboundWaiting } from '../support/inbound-world.ts';
import { connectChannel, startBackendWithEmulators, type AccountOptions, type ConnectedAccount } from '../support/world.ts';

export interface World {
  hubspot: HubSpotEmulator;
  line: LineEmulator;
  backend: TestBackend;
  database: TestDatabase;
  ctx: AppContext;
  close(): Promise<void>;
}

export async function startWorld(engine: Engine, options: { hubspot?: HubSpotEmulatorOptions } = {}): Promise<World> {
  const database = await createTestDatabase(engine);
  const world = await startBackendWithEmulators({ databaseUrl: database.url, hubspot: options.hubspot, stopGraceMs: 1000 });
  return {
    hubspot: world.hubspot,
    line: world.line,
    backend: world.backend,
    database,
    ctx: world.ctx,
    async close() {
      await world.close();
      await database.drop();
    },
  };
}

export interface InstallResult {
  status: number;
  html: string;
  /** The URL the browser was sent to at HubSpot, from GET /oauth/install. */
  authorizeUrl: string;
  /** The callback URL HubSpot redirected back to. */
  callbackUrl: string;
}

/** What a browser does: GET /oauth/install, follow to HubSpot's consent page, follow back to the callback. */
export async function installThroughBrowser(world: World, portalId: number, options: { consent?: boolean; acceptLanguage?: string } = {}): Promise<InstallResult> {
  world.hubspot.authorize.next({ portalId, consent: options.consent ?? true });
  const start = await fetch(`${world.backend.url}/oauth/install`, { redirect: 'manual' });
  const authorizeUrl = start.headers.get('location') ?? '';
  if (start.status !== 302 || !authorizeUrl) throw new Error(`/oauth/install answered ${start.status}`);
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const callbackUrl = consent.headers.get('location') ?? '';
  if (consent.status !== 302 || !callbackUrl) throw new Error(`HubSpot authorize answered ${consent.status}: ${await consent.text()}`);
  const page = await fetch(callbackUrl, { headers: options.acceptLanguage ? { 'accept-language': options.acceptLanguage } : {} });
  return { status: page.status, html: await page.text(), authorizeUrl, callbackUrl };
}

/** Polls until `check` returns a value (or true); for waiting on the worker, not for measuring time. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Waits until no job of `type` (of the portal, when given) is queued or running, nor about to be: no stored
 * webhook event waits for its job (the jobs of inbound events, and those they enqueue, come after it).
 */
export async function jobsSettled(ctx: AppContext, type: string, portalId?: number): Promise<void> {
  await eventually(async () => {
    // Waiting deliveries and events first: a dispatch that commits between the reads has its jobs seen by the last.
    if ((await inboundWaiting(ctx.db, portalId)) > 0) return false;
    const q = ctx.db('jobs').where({ type }).whereIn('state', ['queued', 'running']);
    if (portalId !== undefined) q.andWhere({ portal_id: portalId });
    const pending = await q.count({ n: '*' }).first();
    return Number(pending?.n) === 0;
  }, `${type} jobs to finish`);
}

export function lineUserId(): string {
  return `U${randomBytes(16).toString('hex')}`;
}

/** A connected LINE account, stored by the accounts repository; `sequence` is the one it must get. */
export async function insertLineAccount(ctx: AppContext, portalId: number, sequence: number, displayName = `Shop ${sequence}`): Promise<number> {
  const account = await insertAccount(ctx, {
    portalId,
    channelId: String(1_000_000_000 + Math.floor(Math.random() * 999_999_999)),
    channelSecret: randomBytes(16).toString('hex'),
    channelAccessToken: randomBytes(32).toString('base64url'),
    botUserId: lineUserId(),
    basicId: null,
    displayName,
    pictureUrl: null,
    webhookKey: randomBytes(16).toString('hex'),
    loginKey: randomBytes(16).toString('hex'),
  });
  if (account.sequence !== sequence) throw new Error(`expected account sequence ${sequence}, got ${account.sequence}`);
  return account.id;
}

/** An emulated LINE channel connected as the portal's next account, its webhook pointing at the backend. */
export function connectLineAccount(world: World, portalId: number, options?: AccountOptions): Promise<ConnectedAccount> {
  return connectChannel({ ctx: world.ctx, line: world.line, portalId, webhookBaseUrl: world.backend.url }, options);
}

/** A followed LINE user's link, created as the inbound feature creates it, then linked to the contact. */
export async function insertLink(ctx: AppContext, link: { portalId: number; accountId: number; lineUserId: string; contactId: number | null }): Promise<number> {
  const account = await findAccount(ctx, link.portalId, link.accountId);
  if (!account) throw new Error(`no account ${link.accountId} in portal ${link.portalId}`);
  const record = (await ensureLinks(ctx, account, [link.lineUserId])).get(link.lineUserId)!;
  const linked = link.contactId === null ? {} : { contact_id: link.contactId, linked_at: Date.now(), linked_via: 'auto_created' };
  await updateLink(ctx, record, { follow_status: 'following', ...linked });
  return record.id;
}

/** A received text message, stored as the inbound feature stores it. */
export async function insertMessage(ctx: AppContext, message: { portalId: number; accountId: number; lineUserId: string; text: string }): Promise<number> {
  const { id } = await insertInboundMessage(ctx, {
    portalId: message.portalId,
    accountId: message.accountId,
    lineUserId: message.lineUserId,
    type: 'text',
    text: message.text,
    payload: JSON.stringify({ type: 'text', text: message.text }),
    lineMessageId: String(Date.now()) + randomBytes(3).toString('hex'),
    quoteToken: null,
    markAsReadToken: null,
    webhookEventId: null,
    createdAt: Date.now(),
  });
  return id;
}
