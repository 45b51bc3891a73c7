// Process entry: `node backend/src/main.ts [--role=all|web|worker]`.
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
const runtime = await startRuntime(config);
const log = runtime.ctx.logger;

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
