// Versioned migrations: every file in ./migrations (in the order of their numbers) exports up(db) and down(db). They are
// .ts files in backend/src and .js files in the build that npm start runs (backend/build.ts); a migration's
// name has no extension, so both apply and recognise the same migrations.
// The same migrations run on SQLite and PostgreSQL; they are applied at start-up.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Knex } from 'knex';

interface MigrationModule {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const migrationsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'migrations');

function migrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{3,}-[a-z0-9-]+\.(ts|js)$/.test(f))
    // By number, so 1010-… runs after 990-… (names of three digits and of four sort differently as text).
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
}

const source: Knex.MigrationSource<string> = {
  async getMigrations() {
    return migrationFiles();
  },
  getMigrationName(file) {
    return file.replace(/\.(ts|js)$/, '');
  },
  async getMigration(file) {
    return (await import(pathToFileURL(join(migrationsDir, file)).href)) as MigrationModule;
  },
};

const migrationConfig = { migrationSource: source, tableName: 'schema_migrations' };

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** Names of migrations that exist in code but are not applied yet. */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], Array<{ file: string } | string>];
  return pending.map((p) => (typeof p === 'string' ? p : p.file));
}
