// Runs the real backend (real Express, real database, real worker) on loopback for a test,
// configured against the emulators, on test timings, with its logs captured so tests can grep them for secrets.
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from './free-port.ts';
import { loadConfig, type Config } from '../../backend/src/config.ts';
import { createLogger } from '../../backend/src/observability/logger.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../backend/src/runtime.ts';
import type { Timings } from '../../backend/src/timings.ts';
import { TEST_TIMINGS } from './test-timings.ts';

export { freePort };

export interface TestBackend extends Runtime {
  url: string;
  config: Config;
  /** Every log line the backend wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  logText(): string;
}


export interface TestBackendOptions extends RuntimeOptions {
  databaseUrl?: string;
  /** Emulator base URLs (from startLineEmulator / startHubSpotEmulator). */
  lineBaseUrl?: string;
  hubspot?: { baseUrl: string; appBaseUrl: string; clientId: string; clientSecret: string; appId: number };
  env?: Record<string, string>;
  /** Default: TEST_TIMINGS. */
  timings?: Timings;
}

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');

export async function startTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'lfh-data-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl ?? `sqlite://${join(dataDir, 'test.sqlite')}`,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'debug',
    WORKER_POLL_MS: '25',
  };
  if (options.lineBaseUrl) {
    env.LINE_API_BASE_URL = options.lineBaseUrl;
    env.LINE_DATA_API_BASE_URL = options.lineBaseUrl;
    env.LINE_LOGIN_BASE_URL = options.lineBaseUrl;
  }
  if (options.hubspot) {
    env.HUBSPOT_API_BASE_URL = options.hubspot.baseUrl;
    env.HUBSPOT_APP_BASE_URL = options.hubspot.appBaseUrl;
    env.HUBSPOT_CLIENT_ID = options.hubspot.clientId;
    env.HUBSPOT_CLIENT_SECRET = options.hubspot.clientSecret;
    env.HUBSPOT_APP_ID = String(options.hubspot.appId);
  }
  Object.assign(env, options.env);
  const config = { ...loadConfig(env), timings: options.timings ?? TEST_TIMINGS };
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      cb();
    },
  });
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, destination: sink });
  // The data directory (the SQLite file unless another database is given) goes when the backend stops or
  // fails to start: left behind, every run of the suite added hundreds of them to the temp directory.
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  const runtime = await startRuntime(config, { ...options, logger }).catch((error: unknown) => {
    removeDataDir();
    throw error;
  });
  return {
    ...runtime,
    async stop(graceMs?: number) {
      try {
        await runtime.stop(graceMs);
      } finally {
        removeDataDir();
      }
    },
    url: runtime.url!,
    config,
    logs,
    logText: () => logs.map((l) => JSON.stringify(l)).join('\n'),
  };
}
