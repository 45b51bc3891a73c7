// Vitest global setup: makes a PostgreSQL server available to the suite as DATABASE_URL_PG_TEST.
// Uses DATABASE_URL_PG_TEST when set; otherwise starts a throwaway cluster from a local PostgreSQL
// install (loopback only, removed afterwards); otherwise says loudly that PostgreSQL tests are skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}


/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root). */
function runAsPostgres(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const result = spawnSync(command, argv, { stdio: 'pipe', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

export default async function setup(): Promise<(() => void) | void> {
  if (process.env.DATABASE_URL_PG_TEST) {
    console.log(`[postgres] using DATABASE_URL_PG_TEST for the PostgreSQL tests`);
    return;
  }
  const bin = findPgBin();
  if (!bin) {
    console.warn('\n[postgres] PostgreSQL TESTS ARE SKIPPED: no DATABASE_URL_PG_TEST and no PostgreSQL install under /usr/lib/postgresql.\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lfh-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  try {
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
    runAsPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    runAsPostgres(join(bin, 'pg_ctl'), [
      '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start',
      '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    ]);
  } catch (error) {
    console.warn(`\n[postgres] PostgreSQL TESTS ARE SKIPPED: could not start a throwaway cluster: ${(error as Error).message}\n`);
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  process.env.DATABASE_URL_PG_TEST = `postgres://postgres@127.0.0.1:${port}/postgres`;
  console.log(`[postgres] throwaway PostgreSQL started on 127.0.0.1:${port}`);
  return () => {
    // The benches start and stop a cluster each, one after another in one process: the next must not find this one's URL.
    delete process.env.DATABASE_URL_PG_TEST;
    try {
      runAsPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
