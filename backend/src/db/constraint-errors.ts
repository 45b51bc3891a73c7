// Constraint violations as the two drivers report them: PostgreSQL by SQLSTATE, SQLite by one code whose
// message names the kind of constraint.

interface DriverError {
  code?: unknown;
  message?: unknown;
}

/** A UNIQUE (or primary key) constraint refused the write. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as DriverError | undefined;
  return e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(String(e.message)));
}

/** A FOREIGN KEY constraint refused the write: the row it refers to does not exist (any more). */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as DriverError | undefined;
  return e?.code === '23503' || (e?.code === 'SQLITE_CONSTRAINT' && /FOREIGN KEY/i.test(String(e.message)));
}
