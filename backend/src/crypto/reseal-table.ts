// Re-sealing a table's secrets with the current key after a key rotation, for the module that owns the
// table (it says which columns are sealed and with what context). Rows are read in batches by key; each
// value is written back only if it is still the one read, so a concurrent writer (who seals with the
// current key anyway) always wins, and running it again changes nothing.
import type { Knex } from 'knex';
import type { SecretBox } from './secret-box.ts';

export interface SealedColumns {
  table: string;
  /** A unique, ordered column to page by. */
  key: string;
  columns: string[];
  /** Other columns the contexts need. */
  contextColumns?: string[];
  context(row: Record<string, unknown>, column: string): string;
}

export interface ResealCount {
  resealed: number;
  /** Sealed with a key that is not configured (or damaged): left as they are. */
  unreadable: number;
}

export async function resealColumns(db: Knex, secrets: SecretBox, spec: SealedColumns, batchSize = 200): Promise<ResealCount> {
  const count: ResealCount = { resealed: 0, unreadable: 0 };
  let after: unknown;
  for (;;) {
    const page = db(spec.table)
      .select(spec.key, ...(spec.contextColumns ?? []), ...spec.columns)
      .orderBy(spec.key)
      .limit(batchSize);
    if (after !== undefined) page.where(spec.key, '>', after);
    const rows: Array<Record<string, unknown>> = await page;
    for (const row of rows) {
      for (const column of spec.columns) {
        const sealed = row[column];
        if (typeof sealed !== 'string' || !secrets.needsRotation(sealed)) continue;
        const context = spec.context(row, column);
        let fresh: string;
        try {
          fresh = secrets.seal(secrets.open(sealed, context), context);
        } catch {
          count.unreadable += 1;
          continue;
        }
        count.resealed += await db(spec.table).where({ [spec.key]: row[spec.key], [column]: sealed }).update({ [column]: fresh });
      }
    }
    if (rows.length < batchSize) return count;
    after = rows[rows.length - 1][spec.key];
  }
}

/** The ids of the keys that sealed the table's values and that `secrets` does not hold (a changed ENCRYPTION_KEY). */
export async function unknownKeyIds(db: Knex, secrets: SecretBox, spec: Pick<SealedColumns, 'table' | 'columns'>): Promise<string[]> {
  const ids = new Set<string>();
  for (const column of spec.columns) {
    // Sealed values start `v1:<8-character key id>:`; both engines have substr.
    const rows: Array<{ key_id: string }> = await db(spec.table).whereNotNull(column).distinct(db.raw('substr(??, 4, 8) as key_id', [column]));
    for (const { key_id } of rows) if (!secrets.holdsKey(key_id)) ids.add(key_id);
  }
  return [...ids];
}
