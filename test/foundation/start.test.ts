// `npm start` on a fresh checkout: the backend, built as npm start builds it (backend/build.ts) and run
// without Node's TypeScript support (so nothing of backend/src runs as .ts), starts on embedded defaults,
// applies its migrations and answers /healthz and /readyz, saying clearly what is not configured and what to
// do next; a start that cannot succeed says why in words the operator can act on, without a stack trace,
// and exits non-zero.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { saveInstall } from '../../backend/src/install/save-install.ts';
import { keyRotationFeature } from '../../backend/src/key-rotation/feature.ts';
import { freePort, startTestBackend } from '../support/backend.ts';
import { buildForScript } from '../support/npm-start.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs();

const outDir = fileURLToPath(new URL(`../../dist/test-start-${process.pid}/`, import.meta.url));
const npmStart = await buildForScript('start', outDir);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const newKey = () => randomBytes(32).toString('base64');

interface Started {
  output: () => string;
  exited: Promise<number | null>;
  kill(): void;
}

function startMain(env: Record<string, string>, cwd = tempDir('lfh-start-'), nodeOptions: string[] = []): Started {
  const child = spawn(process.execPath, [...npmStart.nodeOptions, ...nodeOptions, '--no-experimental-strip-types', npmStart.script, ...npmStart.args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exited, kill: () => child.kill('SIGTERM') };
}

async function healthOf(port: number, started: Started): Promise<unknown> {
  let exited = false;
  void started.exited.then(() => (exited = true));
  for (let i = 0; i < 100 && !exited; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined);
    if (health !== undefined) return health;
  }
  return undefined;
}

/** A start that must fail: its exit code and everything it printed. */
async function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const started = startMain(env);
  const code = await started.exited;
  return { code, output: started.output() };
}

/** Preloaded, it writes the URL of every module the process loaded to `listPath` when the process exits. */
function moduleRecorder(dir: string, listPath: string): string {
  const path = join(dir, 'record-modules.mjs');
  writeFileSync(
    path,
    [
      "import { registerHooks } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      'const loaded = [];',
      'registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });',
      `process.on('exit', () => writeFileSync(${JSON.stringify(listPath)}, loaded.join('\\n')));`,
    ].join('\n'),
  );
  return path;
}

/** Packages a process loads only once it needs them (issue 16: each is megabytes of an idle process's memory). */
const LOADED_ON_USE = ['@line/bot-sdk', '@hubspot/api-client/lib/codegen', 'pg', 'qrcode'];

describe('process start', () => {
  it('starts with no configuration, answers /healthz, says what to do next and stops cleanly on SIGTERM', async () => {
    const cwd = tempDir('lfh-start-');
    const port = await freePort();
    const loadedList = join(cwd, 'loaded-modules.txt');
    const started = startMain({ PORT: String(port) }, cwd, ['--import', moduleRecorder(cwd, loadedList)]);
    const health = await healthOf(port, started);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.json(), () => undefined);
    started.kill();
    expect(await started.exited).toBe(0);
    expect(health).toEqual({ status: 'ok' });
    expect(ready).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const output = started.output();
    expect(output).toContain('HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET are not set');
    expect(output).toContain('generated a development key');
    expect(output).toContain('npm run demo');
    expect(existsSync(join(cwd, 'data', 'line-for-hubspot.sqlite'))).toBe(true);
    // Idle on SQLite, it has loaded its own modules and none of the packages it loads on use.
    const loaded = readFileSync(loadedList, 'utf8').split('\n');
    expect(loaded.filter((url) => url.includes('/line/line-sdk.js'))).toHaveLength(1);
    expect(loaded.filter((url) => LOADED_ON_USE.some((name) => url.includes(`/node_modules/${name}/`)))).toEqual([]);
  });

  it('refuses to start with invalid configuration, listing every problem', async () => {
    const { code, output } = await failedStart({ NODE_ENV: 'production', PORT: 'x' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    for (const name of ['PORT', 'ENCRYPTION_KEY', 'PUBLIC_BASE_URL']) expect(output).toContain(name);
  });

  it('refuses an http:// PUBLIC_BASE_URL in production', async () => {
    const { code, output } = await failedStart({ NODE_ENV: 'production', ENCRYPTION_KEY: newKey(), PUBLIC_BASE_URL: 'http://line.example.com' });
    expect(code).toBe(1);
    expect(output).toContain('PUBLIC_BASE_URL must be an https:// URL when NODE_ENV=production');
  });

  it('says the port is in use when it is', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const { code, output } = await failedStart({ PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(output).not.toContain('TypeError');
    } finally {
      squatter.close();
    }
  });

  it('names DATABASE_URL, with its password hidden, when PostgreSQL cannot be reached', async () => {
    const closedPort = await freePort();
    const { code, output } = await failedStart({ PORT: String(await freePort()), DATABASE_URL: `postgres://lfh:pw-d0-not-print@127.0.0.1:${closedPort}/lfh` });
    expect(code).toBe(1);
    expect(output).toContain(`cannot open the database at DATABASE_URL=postgres://lfh:***@127.0.0.1:${closedPort}/lfh`);
    expect(output).not.toContain('pw-d0-not-print');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('names DATABASE_URL when the SQLite file cannot be created', async () => {
    // A file where the database's directory should be.
    const notADirectory = join(tempDir('lfh-start-'), 'file');
    writeFileSync(notADirectory, '');
    const { code, output } = await failedStart({ PORT: String(await freePort()), DATABASE_URL: `sqlite://${notADirectory}/lfh.sqlite` });
    expect(code).toBe(1);
    expect(output).toContain(`cannot open the database at DATABASE_URL=sqlite://${notADirectory}/lfh.sqlite`);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('detects a changed ENCRYPTION_KEY that cannot open the stored secrets and starts once the old key is kept as a previous key', async () => {
    const dir = tempDir('lfh-start-');
    const databaseUrl = `sqlite://${join(dir, 'lfh.sqlite')}`;
    const oldKey = newKey();
    const before = await startTestBackend({ databaseUrl, features: [keyRotationFeature], env: { ENCRYPTION_KEY: oldKey } });
    await saveInstall(before.ctx, { portalId: 700101, scopes: ['crm.objects.contacts.read'], tokens: { accessToken: 'access-token', refreshToken: 'refresh-token', expiresAt: Date.now() + 3_600_000 } });
    await before.stop();

    const key = newKey();
    const refused = await failedStart({ PORT: String(await freePort()), DATABASE_URL: databaseUrl, ENCRYPTION_KEY: key });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('ENCRYPTION_KEY cannot open the stored secrets');
    expect(refused.output).toContain('ENCRYPTION_PREVIOUS_KEYS');
    expect(refused.output).not.toContain(oldKey);

    const port = await freePort();
    const rotated = startMain({ PORT: String(port), DATABASE_URL: databaseUrl, ENCRYPTION_KEY: key, ENCRYPTION_PREVIOUS_KEYS: oldKey });
    const health = await healthOf(port, rotated);
    rotated.kill();
    expect(await rotated.exited).toBe(0);
    expect(health).toEqual({ status: 'ok' });
  });
});
