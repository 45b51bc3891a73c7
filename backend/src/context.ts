// What every feature receives: configuration and the shared services, created once in main.ts (or a test).
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { PortalChanges } from './db/portal-changes.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { Metrics } from './observability/metrics.ts';

export interface AppContext {
  config: Config;
  db: Knex;
  logger: Logger;
  secrets: SecretBox;
  queue: JobQueue;
  metrics: Metrics;
  /** Wakes requests waiting for a portal's changes (the chat panel's long-poll) when this process writes them. */
  changes: PortalChanges;
}
