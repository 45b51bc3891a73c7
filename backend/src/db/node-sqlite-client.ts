// Knex's SQLite client on Node's own SQLite (node:sqlite): the SQL Knex writes for SQLite (its sqlite3 dialect,
// through the better-sqlite3 client that extends it), run synchronously on the main thread.
//
// Why not node-sqlite3, which runs each statement on a thread of libuv's pool: the hand-over to that thread
// and back cost more CPU than a small statement itself (33 µs in memory, half of it system time), and on a
// busy CPU the thread waited for the scheduler, sometimes for milliseconds, which made the webhook
// acknowledgement's tail (issue 16). A statement on SQLite in WAL mode with synchronous=NORMAL writes to the
// log without waiting for the disk; only checkpoints wait for it, and they are kept small and spaced out
// (wal-checkpoints.ts).
//
// One SQLite library per process: two copies of SQLite in one process (node-sqlite3 bundles its own) do not
// see each other's locks on the same file, and corrupt it. Every SQLite connection of the backend is
// opened here or in wal-checkpoints.ts, both on node:sqlite.
//
// Each query Knex runs outside a transaction first lets the event loop take a turn (setImmediate): a loop of
// queries (a purge, a sweep, a job's reads) would otherwise hold up every request until it ends, where
// node-sqlite3's hand-over let requests in between. Inside a transaction it does not: the transaction ends
// within one turn, so its locks are never held while other callbacks run. The webhook's write
// (direct-transaction.ts) does not go through here.
//
// A statement that finds another connection's write in progress waits for it (busy_timeout) without
// returning to the event loop. Within a process, every query goes through the one pooled connection
// (database.ts), and checkpoints run between queries on the same thread (wal-checkpoints.ts), so it never
// waits for the process itself; it waits only for another process on the same file.
import { createRequire } from 'node:module';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';

/** What Knex gives a client's _query: the compiled statement, and where its answer goes. */
interface QueryObject {
  sql?: string;
  bindings?: unknown[];
  method?: string;
  returning?: unknown;
  response?: unknown;
  context?: { lastID: number | bigint; changes: number | bigint };
}

interface KnexClientBase {
  connectionSettings: { filename: string };
}

type KnexClientClass = new (config: unknown) => KnexClientBase;

// Knex ships this client without types; ours overrides everything it does with the driver.
const BetterSqlite3Client = createRequire(import.meta.url)('knex/lib/dialects/better-sqlite3/index.js') as KnexClientClass;

/** Statements prepared on one connection: Knex compiles the same few hundred shapes again and again. */
const MAX_STATEMENTS_PER_CONNECTION = 500;
const statementsOf = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/** The statement for `sql` on `connection`, prepared once (the oldest is dropped past the limit, finalized when collected). */
export function preparedOn(connection: DatabaseSync, sql: string): StatementSync {
  let statements = statementsOf.get(connection);
  if (!statements) statementsOf.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= MAX_STATEMENTS_PER_CONNECTION) statements.delete(statements.keys().next().value!);
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** A value as node:sqlite binds it: it binds no booleans or dates, which SQLite stores as numbers. */
export function bindable(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return Number(value);
  if (value instanceof Date) return value.valueOf();
  return value as SQLInputValue;
}

export class NodeSqliteClient extends BetterSqlite3Client {
  /** Knex loads its driver when the client is made; this one is built into Node. */
  _driver(): typeof DatabaseSync {
    return DatabaseSync;
  }

  async acquireRawConnection(): Promise<DatabaseSync> {
    return new DatabaseSync(this.connectionSettings.filename);
  }

  async destroyRawConnection(connection: DatabaseSync): Promise<void> {
    statementsOf.delete(connection);
    if (connection.isOpen) connection.close();
  }

  /**
   * Runs one statement: all() for what answers rows (as node-sqlite3's Knex client decides it: everything but
   * inserts, updates and deletes without RETURNING), run() for the others, whose changes Knex reports.
   */
  async _query(connection: DatabaseSync, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    if (!connection.isTransaction) await nextTurnOfEventLoop();
    const statement = preparedOn(connection, obj.sql);
    const bindings = (obj.bindings ?? []).map(bindable);
    const writes = obj.method === 'counter' || obj.method === 'del' || ((obj.method === 'insert' || obj.method === 'update') && !obj.returning);
    if (!writes) {
      obj.response = statement.all(...bindings);
      return obj;
    }
    const { changes, lastInsertRowid } = statement.run(...bindings);
    obj.response = { changes, lastInsertRowid };
    obj.context = { lastID: lastInsertRowid, changes };
    return obj;
  }
}
