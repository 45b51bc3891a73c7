// `npm start` on a fresh checkout: the backend starts on embedded defaults and answers /healthz,
// saying clearly what is not configured.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/backend.ts';

const mainScript = fileURLToPath(new URL('../../backend/src/main.ts', import.meta.url));

describe('process start', () => {
  it('starts with no configuration, answers /healthz and stops cleanly on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lfh-start-'));
    const port = await freePort();
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1' };
    const child = spawn(process.execPath, [mainScript], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let health: unknown;
    for (let i = 0; i < 100 && health === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(health).toEqual({ status: 'ok' });
    expect(output).toContain('HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET are not set');
    expect(output).toContain('generated a development key');
    expect(existsSync(join(cwd, 'data', 'line-for-hubspot.sqlite'))).toBe(true);
  });

  it('refuses to start with invalid configuration, listing every problem', async () => {
    const child = spawn(process.execPath, [mainScript], {
      cwd: mkdtempSync(join(tmpdir(), 'lfh-start-')),
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    for (const name of ['PORT', 'ENCRYPTION_KEY', 'PUBLIC_BASE_URL']) expect(stderr).toContain(name);
  });
});
