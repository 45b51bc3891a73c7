// The real backend on a fresh database between the emulators (these tests speak to HubSpot only), and the
// steps a person takes to install the app (browser following the redirects). Shared by test/install and test/hubspot.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../backend/src/context.ts';
import { secretContext } from '../../backend/src/accounts/repository.ts';
import type { HubSpotEmulator, HubSpotEmulatorOptions } from '../emulators/hubspot/index.ts';
import type { TestBackend } from '../support/backend.ts';
import { createTestDatabase, type Engine, type TestDatabase } from '../support/databases.ts';
import { startBackendWithEmulators } from '../support/world.ts';

export interface World {
  hubspot: HubSpotEmulator;
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

/** Waits until no job of `type` (of the portal, when given) is queued or running. */
export async function jobsSettled(ctx: AppContext, type: string, portalId?: number): Promise<void> {
  await eventually(async () => {
    const q = ctx.db('jobs').where({ type }).whereIn('state', ['queued', 'running']);
    if (portalId !== undefined) q.andWhere({ portal_id: portalId });
    const pending = await q.count({ n: '*' }).first();
    return Number(pending?.n) === 0;
  }, `${type} jobs to finish`);
}

export function lineUserId(): string {
  return `U${randomBytes(16).toString('hex')}`;
}

/** A connected LINE account row, as the accounts feature stores it (secrets sealed). */
export async function insertLineAccount(ctx: AppContext, portalId: number, sequence: number, displayName = `Shop ${sequence}`): Promise<number> {
  const channelId = String(1_000_000_000 + Math.floor(Math.random() * 999_999_999));
  const now = Date.now();
  const [row] = await ctx
    .db('line_accounts')
    .insert({
      portal_id: portalId,
      sequence,
      channel_id: channelId,
      bot_user_id: lineUserId(),
      display_name: displayName,
      channel_secret: ctx.secrets.seal(randomBytes(16).toString('hex'), secretContext(channelId, 'channel_secret')),
      channel_access_token: ctx.secrets.seal(randomBytes(32).toString('base64url'), secretContext(channelId, 'channel_access_token')),
      webhook_key: randomBytes(16).toString('hex'),
      login_key: randomBytes(16).toString('hex'),
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function insertLink(ctx: AppContext, link: { portalId: number; accountId: number; lineUserId: string; contactId: number | null }): Promise<number> {
  const now = Date.now();
  const [row] = await ctx
    .db('line_links')
    .insert({
      portal_id: link.portalId,
      line_account_id: link.accountId,
      line_user_id: link.lineUserId,
      contact_id: link.contactId,
      follow_status: 'following',
      linked_at: link.contactId === null ? null : now,
      linked_via: link.contactId === null ? null : 'auto_created',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function insertMessage(ctx: AppContext, message: { portalId: number; accountId: number; lineUserId: string; text: string }): Promise<number> {
  const [row] = await ctx
    .db('messages')
    .insert({
      portal_id: message.portalId,
      line_account_id: message.accountId,
      line_user_id: message.lineUserId,
      direction: 'inbound',
      type: 'text',
      text: message.text,
      payload: JSON.stringify({ type: 'text', text: message.text }),
      line_message_id: String(Date.now()) + randomBytes(3).toString('hex'),
      status: 'received',
      created_at: Date.now(),
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}
