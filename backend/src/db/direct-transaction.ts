// A transaction on one of Knex's pooled connections, with statements sent to the driver as written.
// For the hottest write only (a LINE webhook delivery, before its 200): Knex builds a whole query
// interface for every transaction and compiles every builder on each call, and on a 2-core machine that
// garbage, promoted while deliveries wait for the database, made the young-generation collections the
// acknowledgement's tail. The connection comes from Knex's pool, so on SQLite this still waits its turn
// for the single connection, and every other query keeps going through Knex.
import type { Knex } from 'knex';
import { dialectOf, type Dialect } from './database.ts';

export type SqlValue = string | number | boolean | null;

export interface DirectConnection {
  /** Runs one statement written with `?` placeholders; answers its rows (those of RETURNING, for writes). */
  rows<T>(sql: string, params: readonly SqlValue[]): Promise<T[]>;
}

interface SqliteDriverConnection {
  all(sql: string, params: readonly SqlValue[], callback: (error: Error | null, rows: unknown[]) => void): void;
}

interface PgDriverConnection {
  query(query: { text: string; values: readonly SqlValue[] }): Promise<{ rows: unknown[] }>;
}

function sqliteConnection(raw: SqliteDriverConnection): DirectConnection {
  return {
    rows: <T>(sql: string, params: readonly SqlValue[]) =>
      new Promise<T[]>((resolve, reject) => raw.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[])))),
  };
}

const numbered = new Map<string, string>();
/** PostgreSQL numbers its placeholders ($1, $2…); the statements here contain no other question mark. */
function withNumberedPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < 1_000) numbered.set(sql, text);
  }
  return text;
}

function pgConnection(raw: PgDriverConnection): DirectConnection {
  return {
    rows: async <T>(sql: string, params: readonly SqlValue[]) => (await raw.query({ text: withNumberedPlaceholders(sql), values: params })).rows as T[],
  };
}

const BEGIN: Record<Dialect, string> = {
  // IMMEDIATE takes SQLite's write lock at once: a transaction that reads first and writes later could
  // otherwise fail with SQLITE_BUSY when another process wrote in between, instead of waiting its turn.
  sqlite: 'BEGIN IMMEDIATE',
  postgres: 'BEGIN',
};

/** Runs `work` in a transaction on a connection of `db`'s pool; commits when it resolves, rolls back when it throws. */
export async function inDirectTransaction<T>(db: Knex, work: (conn: DirectConnection) => Promise<T>): Promise<T> {
  const dialect = dialectOf(db);
  const raw = await db.client.acquireConnection();
  const conn = dialect === 'postgres' ? pgConnection(raw as PgDriverConnection) : sqliteConnection(raw as SqliteDriverConnection);
  try {
    await conn.rows(BEGIN[dialect], []);
    let result: T;
    try {
      result = await work(conn);
    } catch (error) {
      await conn.rows('ROLLBACK', []).catch(() => undefined);
      throw error;
    }
    await conn.rows('COMMIT', []);
    return result;
  } finally {
    await db.client.releaseConnection(raw);
  }
}

const insertStatements = new Map<string, string>();

/**
 * `INSERT INTO table (columns) VALUES (…), (…) ON CONFLICT (key) DO NOTHING RETURNING column` for `rowCount`
 * rows, written once per shape. Names come from the code, never from a request.
 */
export function insertStatement(table: string, columns: readonly string[], rowCount: number, options: { ignoreConflictOn?: string; returning?: string } = {}): string {
  const key = `${table}|${columns.join(',')}|${rowCount}|${options.ignoreConflictOn ?? ''}|${options.returning ?? ''}`;
  let sql = insertStatements.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rowCount }, () => row).join(', ')}`;
    if (options.ignoreConflictOn) sql += ` on conflict (${options.ignoreConflictOn}) do nothing`;
    if (options.returning) sql += ` returning ${options.returning}`;
    if (insertStatements.size < 1_000) insertStatements.set(key, sql);
  }
  return sql;
}

/** The values of `rows`, column by column and row by row, in the order insertStatement() expects them. */
export function valuesOf<R extends Record<string, SqlValue>>(rows: readonly R[], columns: ReadonlyArray<keyof R>): SqlValue[] {
  const values: SqlValue[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const column of columns) values[i++] = row[column];
  return values;
}
