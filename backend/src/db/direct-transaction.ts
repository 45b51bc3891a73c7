// Statements on one of Knex's pooled connections, sent to the driver as written, in a transaction or not.
// For the hottest write only (a LINE webhook delivery, before its 200): Knex builds a whole query
// interface for every transaction and compiles every builder on each call, and on a 2-core machine that
// garbage, promoted while deliveries wait for the database, made the young-generation collections the
// acknowledgement's tail. The connection comes from Knex's pool, so on SQLite this still waits its turn
// for the single connection, and every other query keeps going through Knex.
import type { Knex } from 'knex';
import type { DatabaseSync } from 'node:sqlite';
import { dialectOf, type Dialect } from './database.ts';
import { bindable, preparedOn } from './node-sqlite-client.ts';

export type SqlValue = string | number | boolean | null;

/** A row to insert: SQL values, and for the options' `json` columns any value to store as its JSON text. */
export type InsertRow = Readonly<Record<string, unknown>>;

export interface InsertOptions {
  /** Columns whose value is stored as its JSON text. */
  json?: readonly string[];
  /** ON CONFLICT (this column) DO NOTHING. */
  ignoreConflictOn?: string;
  /** RETURNING these columns, of the rows inserted. */
  returning?: readonly string[];
}

export interface DirectConnection {
  /** Runs one statement written with `?` placeholders; answers its rows (those of RETURNING, for writes). */
  rows<T>(sql: string, params: readonly SqlValue[]): Promise<T[]>;
  /** Inserts `rows` into `table` (names from the code, never from a request); answers the RETURNING rows. */
  insert<T>(table: string, columns: readonly string[], rows: readonly InsertRow[], options?: InsertOptions): Promise<T[]>;
}

interface PgDriverConnection {
  query(query: { text: string; values: readonly SqlValue[] }): Promise<{ rows: unknown[] }>;
}

function sqliteConnection(raw: DatabaseSync): DirectConnection {
  // Synchronous (node-sqlite-client.ts): each statement has run when its promise is made.
  const rows = async <T>(sql: string, params: readonly SqlValue[]) => preparedOn(raw, sql).all(...params.map(bindable)) as T[];
  return {
    rows,
    async insert<T>(table: string, columns: readonly string[], inserted: readonly InsertRow[], options: InsertOptions = {}) {
      const answered: T[] = [];
      for (let i = 0; i < inserted.length; ) {
        const count = sqliteRowsPerStatement(inserted.length - i);
        answered.push(...(await rows<T>(valuesInsert(table, columns, count, options), valuesOf(inserted.slice(i, i + count), columns, options))));
        i += count;
      }
      return answered;
    },
  };
}

/** Rows per SQLite insert at most: small statements, each parameter small too (see below). */
const SQLITE_MAX_ROWS_PER_STATEMENT = 64;
/** Up to this many rows, an insert is one statement of exactly that many rows. */
const SQLITE_EXACT_ROWS = 16;

/**
 * How many of `remaining` rows the next SQLite insert takes: all of them up to 16, so that the webhook's
 * usual writes (a handful of deliveries) are one statement, atomic without a transaction's extra round trips
 * (a 20-event delivery rate went from 90k to 110k events/s in an A/B run); beyond, the largest power of two
 * that fits. A table's inserts have at most 18 shapes, each prepared once per connection. Small statements of
 * small parameters: SQLite's JSON functions over one parameter holding all rows cost more than binding, and a
 * string or buffer past V8's and malloc's large-object size (about 128 KB) gets fresh pages from the kernel
 * each time, which cost the main thread ten times what the same rows cost in 10 KB pieces.
 */
function sqliteRowsPerStatement(remaining: number): number {
  if (remaining <= SQLITE_EXACT_ROWS) return remaining;
  let count = SQLITE_MAX_ROWS_PER_STATEMENT;
  while (count > remaining) count /= 2;
  return count;
}

/** How many statements insert(…) takes for `rowCount` rows of `columnCount` columns on `db`. */
export function insertStatementCount(db: Knex, rowCount: number, columnCount: number): number {
  if (dialectOf(db) === 'postgres') return Math.ceil(rowCount / Math.floor(PG_MAX_PARAMS / columnCount));
  let statements = 0;
  for (let remaining = rowCount; remaining > 0; remaining -= sqliteRowsPerStatement(remaining)) statements++;
  return statements;
}

/** The rows' values, row after row, in `columns` order; a JSON column's value as its JSON text. */
function valuesOf(rows: readonly InsertRow[], columns: readonly string[], options: InsertOptions): SqlValue[] {
  const values: SqlValue[] = [];
  for (const row of rows) {
    for (const column of columns) values.push(options.json?.includes(column) ? JSON.stringify(row[column] ?? null) : ((row[column] ?? null) as SqlValue));
  }
  return values;
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

/** PostgreSQL binds at most 65,535 values in one statement. */
const PG_MAX_PARAMS = 65_535;

function pgConnection(raw: PgDriverConnection): DirectConnection {
  const rows = async <T>(sql: string, params: readonly SqlValue[]) => (await raw.query({ text: withNumberedPlaceholders(sql), values: params })).rows as T[];
  return {
    rows,
    async insert<T>(table: string, columns: readonly string[], inserted: readonly InsertRow[], options: InsertOptions = {}) {
      const answered: T[] = [];
      const perStatement = Math.floor(PG_MAX_PARAMS / columns.length);
      for (let i = 0; i < inserted.length; i += perStatement) {
        const chunk = inserted.slice(i, i + perStatement);
        answered.push(...(await rows<T>(valuesInsert(table, columns, chunk.length, options), valuesOf(chunk, columns, options))));
      }
      return answered;
    },
  };
}

const inserts = new Map<string, string>();
/** `INSERT INTO table (columns) VALUES (?, …), … ON CONFLICT …` for `rowCount` rows (kept: the same shapes come back). */
function valuesInsert(table: string, columns: readonly string[], rowCount: number, options: InsertOptions): string {
  const key = `${table}|${columns.join(',')}|${rowCount}|${options.ignoreConflictOn ?? ''}|${options.returning?.join(',') ?? ''}`;
  let sql = inserts.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rowCount }, () => row).join(', ')}`;
    if (options.ignoreConflictOn) sql += ` on conflict (${options.ignoreConflictOn}) do nothing`;
    if (options.returning) sql += ` returning ${options.returning.join(', ')}`;
    if (inserts.size < 1_000) inserts.set(key, sql);
  }
  return sql;
}

const BEGIN: Record<Dialect, string> = {
  // IMMEDIATE takes SQLite's write lock at once: a transaction that reads first and writes later could
  // otherwise fail with SQLITE_BUSY when another process wrote in between, instead of waiting its turn.
  sqlite: 'BEGIN IMMEDIATE',
  postgres: 'BEGIN',
};

/** Runs `work` in a transaction when it runs more than one statement; one statement is atomic on its own (autocommit). */
export function inDirectWrite<T>(db: Knex, statements: number, work: (conn: DirectConnection) => Promise<T>): Promise<T> {
  return statements > 1 ? inDirectTransaction(db, work) : onDirectConnection(db, work);
}

/** Runs `work` on a connection of `db`'s pool, each statement on its own (autocommit). */
async function onDirectConnection<T>(db: Knex, work: (conn: DirectConnection) => Promise<T>): Promise<T> {
  const raw = await db.client.acquireConnection();
  try {
    return await work(connectionOf(db, raw));
  } finally {
    await db.client.releaseConnection(raw);
  }
}

/** Runs `work` in a transaction on a connection of `db`'s pool; commits when it resolves, rolls back when it throws. */
export async function inDirectTransaction<T>(db: Knex, work: (conn: DirectConnection) => Promise<T>): Promise<T> {
  const dialect = dialectOf(db);
  const raw = await db.client.acquireConnection();
  const conn = connectionOf(db, raw);
  try {
    await conn.rows(BEGIN[dialect], []);
    const result = await work(conn);
    await conn.rows('COMMIT', []);
    return result;
  } catch (error) {
    // Also after a failed COMMIT, which leaves SQLite's transaction open; after a failed BEGIN there is nothing to roll back.
    await conn.rows('ROLLBACK', []).catch(() => undefined);
    throw error;
  } finally {
    await db.client.releaseConnection(raw);
  }
}

function connectionOf(db: Knex, raw: unknown): DirectConnection {
  return dialectOf(db) === 'postgres' ? pgConnection(raw as PgDriverConnection) : sqliteConnection(raw as DatabaseSync);
}
