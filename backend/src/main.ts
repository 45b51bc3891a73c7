// Process entry: `node dist/backend/main.js [--role=all|web|worker]` as npm start runs it (built by backend/build.ts), or `node backend/src/main.ts` in development.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

const roleArg = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
if (roleArg) process.env.ROLE = roleArg;

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Loaded only once the configuration is valid: a misconfigured start reports its problems without loading the app.
const { startRuntime } = await import('./runtime.ts');
const { StartupError } = await import('./startup-error.ts');
let runtime: Awaited<ReturnType<typeof startRuntime>>;
try {
  runtime = await startRuntime(config);
} catch (error) {
  if (error instanceof StartupError) {
    console.error(`Cannot start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const log = runtime.ctx.logger;
const hubspotConfigured = Boolean(config.HUBSPOT_CLIENT_ID && config.HUBSPOT_CLIENT_SECRET);
if (runtime.url) {
  log.info(
    hubspotConfigured ? { installUrl: `${config.PUBLIC_BASE_URL}/oauth/install` } : { tryWithoutAccounts: 'npm run demo' },
    hubspotConfigured
      ? 'next: open installUrl in a browser to install the app into a HubSpot portal, then connect a LINE account from the app settings page'
      : 'next: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (README, "Configuration") to connect a real HubSpot app, or run `npm run demo` to try it locally with the emulators',
  );
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: no new jobs are claimed, in-flight work gets the grace period');
  try {
    await runtime.stop();
    log.info('stopped');
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
