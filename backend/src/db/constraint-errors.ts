// Constraint violations as the drivers report them: PostgreSQL by SQLSTATE, SQLite (node:sqlite) by one
// result code whose message names the kind of constraint.

interface DriverError {
  code?: unknown;
  /** node:sqlite's SQLite result code (extended: the primary code in its low byte). */
  errcode?: unknown;
  message?: unknown;
}

/** SQLite's primary result code for a constraint violation. */
const SQLITE_CONSTRAINT = 19;

function isSqliteConstraint(e: DriverError | undefined, kind: RegExp): boolean {
  const constraint = e?.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && (e.errcode & 0xff) === SQLITE_CONSTRAINT;
  return constraint && kind.test(String(e?.message));
}

/** A UNIQUE (or primary key) constraint refused the write. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as DriverError | undefined;
  return e?.code === '23505' || isSqliteConstraint(e, /UNIQUE/i);
}

/** A FOREIGN KEY constraint refused the write: the row it refers to does not exist (any more). */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as DriverError | undefined;
  return e?.code === '23503' || isSqliteConstraint(e, /FOREIGN KEY/i);
}
