// What tables the database holds right now, their columns and foreign keys, read from the database
// itself. Erasing a portal or a LINE user's data walks this, so tables added by later features (media,
// events …) are covered as long as they carry portal_id (and line_account_id + line_user_id for data
// about one LINE user), or cascade from a table that does.
import type { Knex } from 'knex';
import { dialectOf } from '../db/database.ts';

export interface StoredTables {
  /** table → its column names. */
  columns: Map<string, Set<string>>;
  /** child table → the tables it references. */
  references: Map<string, Set<string>>;
}

export async function readStoredTables(db: Knex): Promise<StoredTables> {
  const columns = new Map<string, Set<string>>();
  const references = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, value: string) => {
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(value);
  };
  if (dialectOf(db) === 'postgres') {
    const cols = (await db('information_schema.columns').whereRaw('table_schema = current_schema()').select('table_name', 'column_name')) as Array<{ table_name: string; column_name: string }>;
    for (const c of cols) add(columns, c.table_name, c.column_name);
    const fks = await db.raw(`
      SELECT tc.table_name AS child, ccu.table_name AS parent
      FROM information_schema.table_constraints tc
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`);
    for (const fk of fks.rows as Array<{ child: string; parent: string }>) if (fk.child !== fk.parent) add(references, fk.child, fk.parent);
    return { columns, references };
  }
  const tables = (await db.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) as Array<{ name: string }>;
  for (const { name } of tables) {
    const quoted = name.replace(/"/g, '""');
    columns.set(name, new Set(((await db.raw(`PRAGMA table_info("${quoted}")`)) as Array<{ name: string }>).map((c) => c.name)));
    for (const fk of (await db.raw(`PRAGMA foreign_key_list("${quoted}")`)) as Array<{ table: string }>) if (fk.table !== name) add(references, name, fk.table);
  }
  return { columns, references };
}

/** The tables having every one of `columns`, ordered so a table comes before each table it references. */
export function tablesWithColumns(stored: StoredTables, columns: string[]): string[] {
  const wanted = new Set([...stored.columns].filter(([, cols]) => columns.every((c) => cols.has(c))).map(([table]) => table));
  const referencedBy = new Map<string, string[]>();
  for (const [child, parents] of stored.references) {
    for (const parent of parents) referencedBy.set(parent, [...(referencedBy.get(parent) ?? []), child]);
  }
  const order: string[] = [];
  const visited = new Set<string>();
  const visit = (table: string) => {
    if (visited.has(table)) return;
    visited.add(table);
    for (const child of referencedBy.get(table) ?? []) visit(child);
    if (wanted.has(table)) order.push(table);
  };
  for (const table of [...wanted].sort()) visit(table);
  return order;
}
