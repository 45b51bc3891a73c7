// `npm run demo`: the whole product on one machine, with no HubSpot or LINE account. Starts both emulators
// and the backend, installs the app into an emulated portal through the real OAuth flow, connects an
// emulated LINE account through the real accounts API (a signed hubspot.fetch, as the settings page makes
// it), and serves the demo page (demo/page-server.ts) that plays a HubSpot user and a LINE user. Prints the
// page's URL, and curl lines for those who prefer them. Ctrl-C stops everything.
//
// It lives beside the emulators (test/emulators/main.ts is `npm run emulators`) because it composes them:
// backend/src never imports the emulators. Credentials, ids and ports are fixed so a restart finds the
// account stored in its own database (data/demo/) working again; the emulators keep their state in memory,
// so contacts created in a previous run are gone after a restart.
import { join } from 'node:path';
import { loadConfig } from '../../backend/src/config.ts';
import { startRuntime, type Runtime } from '../../backend/src/runtime.ts';
import { StartupError } from '../../backend/src/startup-error.ts';
import { DEMO, DEMO_TEMPLATES } from './demo/fixtures.ts';
import { startDemoPage, type DemoPage } from './demo/page-server.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from './hubspot/index.ts';
import { startLineEmulator, type LineEmulator } from './line/index.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const dataDir = process.env.DEMO_DATA_DIR ?? join('data', 'demo');

async function installApp(backendUrl: string, hubspot: HubSpotEmulator): Promise<void> {
  hubspot.authorize.next({ portalId: DEMO.portalId, consent: true });
  const start = await fetch(`${backendUrl}/oauth/install`, { redirect: 'manual' });
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '');
  if (!callback.ok) throw new Error(`installing into the emulated portal failed: ${callback.status} ${await callback.text()}`);
}

type SignedCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** A hubspot.fetch from the demo portal's admin to the backend, signed by the HubSpot emulator. */
function signedCalls(backendUrl: string, hubspot: HubSpotEmulator): SignedCall {
  return async (method, path, body) => {
    const res = await hubspot.hubspotFetch(`${backendUrl}${path}`, { portalId: DEMO.portalId, method, body });
    return { status: res.status, body: await res.json() };
  };
}

/** On a first run, saves a few templates through the real API so the composer has some to offer. */
async function seedTemplates(call: SignedCall): Promise<void> {
  if ((await call('GET', '/api/templates')).body.templates.length > 0) return;
  for (const template of DEMO_TEMPLATES) {
    const saved = await call('POST', '/api/templates', template);
    if (saved.status !== 201) throw new Error(`saving the demo templates failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  }
}

/** Connects the demo channel as the settings page does, or finds it connected by an earlier run; answers the account's webhook URL. */
async function connectAccount(call: SignedCall): Promise<string> {
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

function instructions(page: DemoPage, line: LineEmulator, hubspot: HubSpotEmulator, backendUrl: string): string {
  const user = `${line.baseUrl}/_emulator/channels/${DEMO.channel.channelId}/users/${DEMO.user.userId}`;
  const json = `-H 'content-type: application/json'`;
  return `
LINE for HubSpot demo is running.
App installed in emulated HubSpot portal ${DEMO.portalId}; LINE account "${DEMO.channel.displayName}" (channel ${DEMO.channel.channelId}) connected.

Open the demo page in your browser:

  ${page.url}

On the right you are LINE user ${DEMO.user.displayName}: add the account as a friend and write to it. On the left you are
a HubSpot user: the contact appears, open its LINE card and chat, answer, and watch the answer arrive on LINE.

Or with curl, as LINE user ${DEMO.user.displayName} (${DEMO.user.userId}):
  curl -X POST ${user}/follow
  curl -X POST ${json} -d '{"text":"Hello from LINE"}' ${user}/messages
  curl -X POST ${json} -d '{"sticker":{"packageId":"446","stickerId":"1988"}}' ${user}/messages
  curl ${user}/received
  curl ${hubspot.baseUrl}/_emulator/portals/${DEMO.portalId}/contacts

Backend ${backendUrl}, LINE emulator ${line.baseUrl}, HubSpot emulator ${hubspot.baseUrl}.
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
let page: DemoPage | undefined;
async function stop(code: number): Promise<never> {
  await page?.close();
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
  const call = signedCalls(backendUrl, hubspot);
  // The emulated channel is new each run: it learns the webhook URL that the stored account already has.
  line.channel(DEMO.channel.channelId).webhookUrl = await connectAccount(call);
  await seedTemplates(call);
  page = await startDemoPage({
    port: port('DEMO_PAGE_PORT', 4000),
    backendUrl,
    hubspot,
    portalId: DEMO.portalId,
    lineUrl: line.baseUrl,
    channelId: DEMO.channel.channelId,
    firstUser: DEMO.user,
  });
  console.log(instructions(page, line, hubspot, backendUrl));
} catch (error) {
  console.error(error instanceof StartupError ? `Cannot start: ${error.message}` : error);
  await stop(1);
}
