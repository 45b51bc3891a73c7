// A world for inbound-event tests: the real backend between the LINE and HubSpot emulators, an installed
// portal whose LINE contact properties exist (created through HubSpot's API), and a connected LINE
// account whose emulated channel posts its webhooks to the backend.
import { randomBytes } from 'node:crypto';
import { secretContext } from '../../backend/src/accounts/repository.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { startHubSpotEmulator, type CreatePortalOptions, type HubSpotEmulator, type HubSpotEmulatorOptions, type Portal } from '../emulators/hubspot/index.ts';
import { startLineEmulator, type Channel, type LineEmulator } from '../emulators/line/index.ts';
import { startTestBackend, type TestBackend } from './backend.ts';
import { installPortal } from './installed-portal.ts';

export interface InboundAccount {
  id: number;
  sequence: number;
  channel: Channel;
  webhookKey: string;
}

export interface AccountOptions {
  autoCreateContacts?: boolean;
  ownerTasks?: boolean;
  timelineMode?: 'app_events' | 'notes' | 'off';
}

export interface InboundWorld {
  line: LineEmulator;
  hubspot: HubSpotEmulator;
  backend: TestBackend;
  ctx: AppContext;
  portal: Portal;
  account: InboundAccount;
  connectAccount(o?: AccountOptions): Promise<InboundAccount>;
  /** Resolves once no job is queued or running (retries included). */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const LINE_PROPERTIES = [
  ['line_user_id', 'string', 'text'],
  ['line_display_name', 'string', 'text'],
  ['line_picture_url', 'string', 'text'],
  ['line_follow_status', 'enumeration', 'select'],
  ['line_friend_added_at', 'datetime', 'date'],
  ['line_linked_at', 'datetime', 'date'],
  ['line_unanswered', 'bool', 'booleancheckbox'],
  ['line_unanswered_message', 'string', 'textarea'],
  ['line_last_inbound_at', 'datetime', 'date'],
  ['line_last_outbound_at', 'datetime', 'date'],
] as const;

const OPTIONS: Record<string, Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>> = {
  line_follow_status: ['following', 'blocked', 'unknown'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })),
  line_unanswered: [
    { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
    { label: 'No', value: 'false', displayOrder: 1, hidden: false },
  ],
};

/** Creates the LINE property group and the properties of account `sequence`, as the provisioning job would. */
export async function createLineProperties(hubspot: HubSpotEmulator, accessToken: string, sequence: number): Promise<void> {
  const call = async (path: string, body: object, okStatuses: number[]) => {
    const res = await fetch(`${hubspot.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!okStatuses.includes(res.status)) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  };
  await call('/crm/v3/properties/contacts/groups', { name: 'line', label: 'LINE', displayOrder: -1 }, [201, 409]);
  const inputs = LINE_PROPERTIES.map(([base, type, fieldType]) => ({
    name: sequence <= 1 ? base : `${base}_${sequence}`,
    label: sequence <= 1 ? base : `${base} (${sequence})`,
    groupName: 'line',
    type,
    fieldType,
    ...(OPTIONS[base] ? { options: OPTIONS[base] } : {}),
  }));
  await call('/crm/v3/properties/contacts/batch/create', { inputs }, [200, 201]);
}

export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface AccountSetup {
  /** Only db and secrets are used, so a test may pass them for a backend running in another process. */
  ctx: Pick<AppContext, 'db' | 'secrets'>;
  line: LineEmulator;
  hubspot: HubSpotEmulator;
  accessToken: string;
  portalId: number;
  webhookBaseUrl: string;
}

/** Connects a new emulated channel as the portal's next LINE account (row written as the accounts feature would). */
export async function connectLineAccount(s: AccountSetup, options: AccountOptions = {}): Promise<InboundAccount> {
  const { ctx, line, hubspot } = s;
  const channel = line.createChannel();
  const now = Date.now();
  const used = await ctx.db('line_accounts').where({ portal_id: s.portalId }).max({ n: 'sequence' }).first();
  const sequence = Number(used?.n ?? 0) + 1;
  const webhookKey = randomBytes(24).toString('base64url');
  const [row] = await ctx.db('line_accounts')
    .insert({
      portal_id: s.portalId,
      sequence,
      channel_id: channel.channelId,
      bot_user_id: channel.botUserId,
      basic_id: channel.basicId,
      display_name: channel.displayName,
      picture_url: channel.pictureUrl,
      channel_secret: ctx.secrets.seal(channel.channelSecret, secretContext(channel.channelId, 'channel_secret')),
      channel_access_token: ctx.secrets.seal(channel.accessToken, secretContext(channel.channelId, 'channel_access_token')),
      webhook_key: webhookKey,
      login_key: randomBytes(24).toString('base64url'),
      auto_create_contacts: options.autoCreateContacts ?? true,
      owner_tasks: options.ownerTasks ?? true,
      timeline_mode: options.timelineMode ?? 'app_events',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  await createLineProperties(hubspot, s.accessToken, sequence);
  channel.webhookUrl = `${s.webhookBaseUrl}/line/webhook/${webhookKey}`;
  channel.webhookActive = true;
  return { id: Number(typeof row === 'object' ? row.id : row), sequence, channel, webhookKey };
}

export async function startInboundWorld(o: { databaseUrl?: string; env?: Record<string, string>; hubspot?: HubSpotEmulatorOptions; lineTrafficLog?: string; portal?: CreatePortalOptions; account?: AccountOptions } = {}): Promise<InboundWorld> {
  const line = await startLineEmulator({ trafficLog: o.lineTrafficLog });
  const hubspot = await startHubSpotEmulator(o.hubspot);
  const backend = await startTestBackend({
    databaseUrl: o.databaseUrl,
    lineBaseUrl: line.baseUrl,
    hubspot: { baseUrl: hubspot.baseUrl, appBaseUrl: hubspot.appBaseUrl, clientId: hubspot.clientId, clientSecret: hubspot.clientSecret, appId: hubspot.appId },
    env: o.env,
  });
  const ctx = backend.ctx;
  const portal = hubspot.createPortal(o.portal);
  const installed = await installPortal(ctx, hubspot, { portalId: portal.portalId });

  const connectAccount = (options: AccountOptions = {}) =>
    connectLineAccount({ ctx, line, hubspot, accessToken: installed.accessToken, portalId: portal.portalId, webhookBaseUrl: backend.url }, options);

  const account = await connectAccount(o.account);
  return {
    line,
    hubspot,
    backend,
    ctx,
    portal,
    account,
    connectAccount,
    async idle(timeoutMs = 30_000) {
      await waitUntil(async () => {
        const row = await ctx.db('jobs').whereIn('state', ['queued', 'running']).count({ n: '*' }).first();
        return Number(row?.n) === 0;
      }, 'every job is done', timeoutMs);
    },
    async close() {
      await backend.stop(1000);
      await line.close();
      await hubspot.close();
    },
  };
}
