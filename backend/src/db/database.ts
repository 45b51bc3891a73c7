// Opens the Knex connection for DATABASE_URL: SQLite (WAL, foreign keys on) or PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import knexFactory, { type Knex } from 'knex';
import type pg from 'pg';
import { StartupError } from '../startup-error.ts';
import { NodeSqliteClient } from './node-sqlite-client.ts';

export type Database = Knex;
export type Dialect = 'sqlite' | 'postgres';

/** `sqlite:///abs/path.sqlite`, `sqlite:relative/path.sqlite`, `sqlite::memory:` → a file path (or ':memory:'). */
export function sqliteFilename(databaseUrl: string): string {
  const rest = databaseUrl.slice('sqlite:'.length);
  if (rest === ':memory:') return ':memory:';
  if (rest.startsWith('//')) return rest.slice(2);
  return resolve(rest);
}

export function dialectOf(db: Knex): Dialect {
  return db.client.config.client === 'pg' ? 'postgres' : 'sqlite';
}

export function openDatabase(databaseUrl: string, options: { poolMax?: number; quiet?: boolean } = {}): Database {
  const log = options.quiet ? { log: { warn() {}, error() {} } } : {};
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = sqliteFilename(databaseUrl);
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    return knexFactory({
      ...log,
      client: NodeSqliteClient as unknown as typeof Knex.Client,
      connection: { filename },
      useNullAsDefault: true,
      // One connection: SQLite has a single writer, and with one connection the process's queries never wait
      // for each other's locks (node-sqlite-client.ts: a wait would hold up the event loop).
      // Its commits leave checkpoints to the runtime's own connection (wal-checkpoints.ts); the high
      // wal_autocheckpoint only bounds the log where nothing else checkpoints (scripts, migrations).
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: DatabaseSync, done: (err: Error | null, conn: unknown) => void) {
          try {
            conn.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000');
            done(null, conn);
          } catch (error) {
            done(error as Error, conn);
          }
        },
      },
    });
  }
  const db = knexFactory({
    ...log,
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
  // int8 (bigint) columns hold epoch milliseconds and ids well inside Number's safe range. The driver is the
  // one Knex loaded for this client: a SQLite deployment never loads pg (about 30 modules, issue 16).
  (db.client as { driver: typeof pg }).driver.types.setTypeParser(20, (v: string) => Number(v));
  return db;
}

/** DATABASE_URL as it may be shown: the password of a PostgreSQL URL replaced by ***. */
export function displayDatabaseUrl(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL hidden)';
  }
}

/**
 * Opens the database after one probing query, so a file that cannot be created or a server that cannot be
 * reached stops start-up with a message naming DATABASE_URL. The probe has its own connection with Knex's
 * logging off: Knex would otherwise print each failed attempt with a stack trace.
 */
export async function openReachableDatabase(databaseUrl: string): Promise<Database> {
  let probe: Database | undefined;
  try {
    probe = openDatabase(databaseUrl, { quiet: true });
    await probe.raw('select 1');
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StartupError(`cannot open the database at DATABASE_URL=${displayDatabaseUrl(databaseUrl)}: ${detail.replaceAll(databaseUrl, displayDatabaseUrl(databaseUrl))}`);
  } finally {
    await probe?.destroy().catch(() => undefined);
  }
  return openDatabase(databaseUrl);
}

/** Milliseconds since the epoch: every timestamp column stores this, the same on both engines. */
export function nowMs(): number {
  return Date.now();
}
