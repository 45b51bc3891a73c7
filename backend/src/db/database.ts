// Opens the Knex connection for DATABASE_URL: SQLite (WAL, foreign keys on) or PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

export type Database = Knex;
export type Dialect = 'sqlite' | 'postgres';

// int8 (bigint) columns hold epoch milliseconds and ids well inside Number's safe range.
pg.types.setTypeParser(20, (v: string) => Number(v));

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

export function openDatabase(databaseUrl: string, options: { poolMax?: number } = {}): Database {
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = sqliteFilename(databaseUrl);
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    return knexFactory({
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // One connection: SQLite has a single writer, and one connection avoids SQLITE_BUSY between our own queries.
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          const pragmas = ['PRAGMA journal_mode = WAL', 'PRAGMA foreign_keys = ON', 'PRAGMA busy_timeout = 5000', 'PRAGMA synchronous = NORMAL'];
          const next = (i: number): void => {
            if (i === pragmas.length) return done(null, conn);
            conn.run(pragmas[i], (err) => (err ? done(err, conn) : next(i + 1)));
          };
          next(0);
        },
      },
    });
  }
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
}

/** Milliseconds since the epoch: every timestamp column stores this, the same on both engines. */
export function nowMs(): number {
  return Date.now();
}
