// `npm run emulators`: the LINE and HubSpot emulators standalone, for local runs of the backend.
// Prints their URLs, a demo LINE channel and a demo HubSpot portal, and the backend settings that use them.
import { startLineEmulator } from './line/index.ts';
import { startHubSpotEmulator } from './hubspot/index.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const line = await startLineEmulator({ port: port('LINE_EMULATOR_PORT', 4100) });
const hubspot = await startHubSpotEmulator({ port: port('HUBSPOT_EMULATOR_PORT', 4200) });
const channel = line.createChannel({ displayName: 'Demo LINE account' });
const portal = hubspot.createPortal({ owners: [{ email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner' }] });

console.log(`LINE emulator     ${line.baseUrl}
HubSpot emulator  ${hubspot.baseUrl} (app pages: ${hubspot.appBaseUrl})

Demo LINE channel: id ${channel.channelId}, secret ${channel.channelSecret}, access token ${channel.accessToken}
Demo HubSpot portal: ${portal.portalId}

Backend settings for a local run against the emulators (.env):
LINE_API_BASE_URL=${line.baseUrl}
LINE_DATA_API_BASE_URL=${line.baseUrl}
LINE_LOGIN_BASE_URL=${line.baseUrl}
HUBSPOT_API_BASE_URL=${hubspot.baseUrl}
HUBSPOT_APP_BASE_URL=${hubspot.appBaseUrl}
HUBSPOT_CLIENT_ID=${hubspot.clientId}
HUBSPOT_CLIENT_SECRET=${hubspot.clientSecret}
HUBSPOT_APP_ID=${hubspot.appId}
`);

const shutdown = async () => {
  await Promise.all([line.close(), hubspot.close()]);
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
