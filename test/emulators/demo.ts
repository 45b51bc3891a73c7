// `npm run demo`: the whole product on one machine, with no HubSpot or LINE account. Starts both emulators
// and the backend, installs the app into an emulated portal through the real OAuth flow, connects an
// emulated LINE account through the real accounts API (a signed hubspot.fetch, as the settings page makes
// it), and prints what to open and the curl lines that make a LINE user write. Ctrl-C stops everything.
//
// It lives beside the emulators (test/emulators/main.ts is `npm run emulators`) because it composes them:
// backend/src never imports the emulators. Credentials, ids and ports are fixed so a restart finds the
// account stored in its own database (data/demo/) working again; the emulators keep their state in memory,
// so contacts created in a previous run are gone after a restart.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../../backend/src/config.ts';
import { startRuntime, type Runtime } from '../../backend/src/runtime.ts';
import { StartupError } from '../../backend/src/startup-error.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from './hubspot/index.ts';
import { startLineEmulator, type LineEmulator } from './line/index.ts';

const fixed = (purpose: string) => createHash('sha512').update(`line-for-hubspot demo ${purpose}`).digest();
const DEMO = {
  portalId: 20260001,
  channel: {
    channelId: '2006000001',
    channelSecret: fixed('channel secret').toString('hex').slice(0, 32),
    accessToken: Buffer.concat([fixed('access token 1'), fixed('access token 2')]).toString('base64url'),
    displayName: 'Demo shop',
  },
  user: { userId: `U${fixed('user').toString('hex').slice(0, 32)}`, displayName: 'Aiko' },
  hubspot: { clientId: 'demo-client-id', clientSecret: fixed('client secret').toString('hex').slice(0, 36), appId: 20260002 },
};

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const dataDir = process.env.DEMO_DATA_DIR ?? join('data', 'demo');

async function installApp(backendUrl: string, hubspot: HubSpotEmulator): Promise<void> {
  hubspot.authorize.next({ portalId: DEMO.portalId, consent: true });
  const start = await fetch(`${backendUrl}/oauth/install`, { redirect: 'manual' });
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '');
  if (!callback.ok) throw new Error(`installing into the emulated portal failed: ${callback.status} ${await callback.text()}`);
}

/** Connects the demo channel as the settings page does, or finds it connected by an earlier run; answers the account's webhook URL. */
async function connectAccount(backendUrl: string, hubspot: HubSpotEmulator): Promise<string> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await hubspot.hubspotFetch(`${backendUrl}${path}`, { portalId: DEMO.portalId, method, body });
    return { status: res.status, body: await res.json() };
  };
  const listed = await call('GET', '/api/accounts');
  const stored = listed.body.accounts?.find((a: { channelId: string }) => a.channelId === DEMO.channel.channelId);
  if (stored) return stored.webhook.url;
  const { channelId, channelSecret, accessToken: channelAccessToken } = DEMO.channel;
  const accepted = await call('POST', '/api/accounts', { channelId, channelSecret, channelAccessToken });
  if (accepted.status !== 202) throw new Error(`connecting the LINE account failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  let operation = accepted.body.operation;
  while (operation.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    operation = (await call('GET', `/api/accounts/operations/${operation.id}`)).body.operation;
  }
  if (operation.state !== 'succeeded') throw new Error(`connecting the LINE account failed: ${JSON.stringify(operation)}`);
  const account = await call('GET', `/api/accounts/${operation.accountId}`);
  return account.body.account.webhook.url;
}

function instructions(line: LineEmulator, hubspot: HubSpotEmulator, backendUrl: string): string {
  const user = `${line.baseUrl}/_emulator/channels/${DEMO.channel.channelId}/users/${DEMO.user.userId}`;
  const json = `-H 'content-type: application/json'`;
  return `
LINE for HubSpot demo is running (backend ${backendUrl}, LINE emulator ${line.baseUrl}, HubSpot emulator ${hubspot.baseUrl}).
App installed in emulated HubSpot portal ${DEMO.portalId}; LINE account "${DEMO.channel.displayName}" (channel ${DEMO.channel.channelId}) connected.

Open the portal's contacts (refresh after each step):
  ${hubspot.baseUrl}/_emulator/portals/${DEMO.portalId}/contacts

Be LINE user ${DEMO.user.displayName} (${DEMO.user.userId}):
  curl -X POST ${user}/follow
  curl -X POST ${json} -d '{"text":"Hello from LINE"}' ${user}/messages
  curl -X POST ${json} -d '{"sticker":{"packageId":"446","stickerId":"1988"}}' ${user}/messages
  curl ${user}/received

Ctrl-C stops everything.
`;
}

const line = await startLineEmulator({ port: port('LINE_EMULATOR_PORT', 4100) });
const hubspot = await startHubSpotEmulator({ port: port('HUBSPOT_EMULATOR_PORT', 4200), ...DEMO.hubspot });
line.createChannel(DEMO.channel);
line.createUser(DEMO.user);
hubspot.createPortal({ portalId: DEMO.portalId, owners: [{ email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner' }] });

const backendPort = port('PORT', 3000);
const config = loadConfig({
  NODE_ENV: 'development',
  PORT: String(backendPort),
  HOST: '127.0.0.1',
  PUBLIC_BASE_URL: `http://127.0.0.1:${backendPort}`,
  DATA_DIR: dataDir,
  DATABASE_URL: `sqlite:${join(dataDir, 'demo.sqlite')}`,
  // Warnings and errors only, so the instructions stay readable; LOG_LEVEL=info shows the backend at work.
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LINE_API_BASE_URL: line.baseUrl,
  LINE_DATA_API_BASE_URL: line.baseUrl,
  LINE_LOGIN_BASE_URL: line.baseUrl,
  HUBSPOT_API_BASE_URL: hubspot.baseUrl,
  HUBSPOT_APP_BASE_URL: hubspot.appBaseUrl,
  HUBSPOT_CLIENT_ID: DEMO.hubspot.clientId,
  HUBSPOT_CLIENT_SECRET: DEMO.hubspot.clientSecret,
  HUBSPOT_APP_ID: String(DEMO.hubspot.appId),
});

let runtime: Runtime | undefined;
async function stop(code: number): Promise<never> {
  await runtime?.stop();
  await Promise.all([line.close(), hubspot.close()]);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  runtime = await startRuntime(config);
  const backendUrl = runtime.url!;
  hubspot.permitFetchUrls([`${backendUrl}/api/`]);
  await installApp(backendUrl, hubspot);
  // The emulated channel is new each run: it learns the webhook URL that the stored account already has.
  line.channel(DEMO.channel.channelId).webhookUrl = await connectAccount(backendUrl, hubspot);
  console.log(instructions(line, hubspot, backendUrl));
} catch (error) {
  console.error(error instanceof StartupError ? `Cannot start: ${error.message}` : error);
  await stop(1);
}
