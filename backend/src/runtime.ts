// Builds the shared services from a Config and starts the web server and/or the worker.
// main.ts uses it for the real process; tests use it to run the real backend on loopback.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { missingIntegrations } from './config.ts';
import type { AppContext } from './context.ts';
import { SecretBox, loadEncryptionKey } from './crypto/secret-box.ts';
import { openReachableDatabase } from './db/database.ts';
import { StartupError } from './startup-error.ts';
import { migrateToLatest } from './db/migrate.ts';
import { PortalChanges } from './db/portal-changes.ts';
import { startWalCheckpoints } from './db/wal-checkpoints.ts';
import { JobQueue } from './jobs/queue.ts';
import { jobHandlers } from './jobs/registry.ts';
import { Worker, type Purges } from './jobs/worker.ts';
import { startIdleMemoryRelease } from './observability/idle-memory.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { createApp } from './app.ts';
import type { Feature } from './feature.ts';
import { features as allFeatures } from './features.ts';
import { withFastRoutes } from './http/fast-routes.ts';

export interface Runtime {
  ctx: AppContext;
  /** http://host:port of the web role, when it runs. */
  url?: string;
  server?: Server;
  worker?: Worker;
  stop(graceMs?: number): Promise<void>;
}

export interface RuntimeOptions {
  role?: Config['ROLE'];
  logger?: Logger;
  features?: Feature[];
  workerId?: string;
}

export async function createContext(config: Config, logger: Logger): Promise<AppContext> {
  const db = await openReachableDatabase(config.DATABASE_URL);
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ migrations: applied }, 'database migrations applied');
  const { key, generatedAt } = loadEncryptionKey({
    configuredKey: config.ENCRYPTION_KEY,
    dataDir: config.DATA_DIR,
    production: config.NODE_ENV === 'production',
  });
  if (generatedAt) logger.warn({ path: generatedAt }, 'ENCRYPTION_KEY is not set: generated a development key; set ENCRYPTION_KEY before production');
  const secrets = new SecretBox(key, config.ENCRYPTION_PREVIOUS_KEYS.map((k) => Buffer.from(k, 'base64')));
  const queue = new JobQueue(db, { backoffBaseMs: config.timings.jobs.backoffBaseMs });
  const metrics = createMetrics({ queue });
  const changes = new PortalChanges((error) => logger.warn({ err: error }, 'looking for changes written by other processes failed'));
  return { config, db, logger, secrets, queue, metrics, changes };
}

function listen(handler: RequestListener, config: Config): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = createServer(handler);
    s.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') return reject(new StartupError(`port ${config.PORT} on ${config.HOST} is already in use: stop the process using it or set PORT to a free port`));
      if (error.code === 'EACCES') return reject(new StartupError(`not allowed to listen on port ${config.PORT}: set PORT to 1024 or above`));
      if (error.code === 'EADDRNOTAVAIL') return reject(new StartupError(`HOST ${config.HOST} is not an address of this machine: set HOST to one of its addresses or 0.0.0.0`));
      reject(error);
    });
    s.listen(config.PORT, config.HOST, () => resolve(s));
  });
}

function purgesOf(ctx: AppContext, features: Feature[]): Purges {
  return Object.assign({}, ...features.map((feature) => feature.purges?.(ctx)));
}

export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const role = options.role ?? config.ROLE;
  const features = options.features ?? allFeatures;
  for (const problem of missingIntegrations(config)) logger.warn(problem);
  const ctx = await createContext(config, logger);
  const checkpoints = startWalCheckpoints(config.DATABASE_URL, (error) => logger.warn({ err: error }, 'copying the SQLite log into the database failed; the next attempt follows shortly'));
  const idleMemory = startIdleMemoryRelease(({ rssBefore, rssAfter, tookMs }) =>
    logger.debug({ rssMbBefore: Math.round(rssBefore / 2 ** 20), rssMbAfter: Math.round(rssAfter / 2 ** 20), tookMs: Math.round(tookMs) }, 'idle after a burst: collected and gave spare memory back'),
  );
  for (const feature of features) await feature.onStart?.(ctx);

  let server: Server | undefined;
  let url: string | undefined;
  if (role !== 'worker') {
    const app = createApp(ctx, features);
    server = await listen(withFastRoutes(ctx, features.flatMap((feature) => feature.fastRoutes?.(ctx) ?? []), app), config);
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
    logger.info({ url, publicBaseUrl: config.PUBLIC_BASE_URL }, 'web server listening');
  }

  let worker: Worker | undefined;
  if (role !== 'web') {
    const handlers = jobHandlers(ctx, features.flatMap((f) => f.jobs ?? []));
    worker = new Worker({
      queue: ctx.queue,
      handlers,
      purges: purgesOf(ctx, features),
      feeds: Object.assign({}, ...features.map((feature) => feature.feeds?.(ctx))),
      logger,
      metrics: ctx.metrics,
      concurrency: config.WORKER_CONCURRENCY,
      pollMs: config.WORKER_POLL_MS,
      leaseMs: config.JOB_LEASE_MS,
      workerId: options.workerId,
    });
    worker.start();
    logger.info({ workerId: worker.workerId, jobTypes: Object.keys(handlers) }, 'worker started');
  }

  let stopped = false;
  return {
    ctx,
    url,
    server,
    worker,
    async stop(graceMs = config.SHUTDOWN_GRACE_MS) {
      if (stopped) return;
      stopped = true;
      const closing = server
        ? new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          })
        : Promise.resolve();
      const result = await worker?.stop(graceMs);
      if (result?.unfinished) logger.warn({ unfinished: result.unfinished }, 'stopped with jobs still running; they will run again after their lease expires');
      server?.closeAllConnections();
      await closing;
      checkpoints?.stop();
      idleMemory?.stop();
      await ctx.db.destroy();
    },
  };
}
