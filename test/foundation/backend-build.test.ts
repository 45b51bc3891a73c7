// backend/build.ts turns each backend module into JavaScript without moving anything: types are blanked
// out in place (same lines, same columns) and relative imports of .ts files name .js files. The LINE SDK's
// facade (backend/src/line/line-sdk.ts) is built as a bundle of what it exports, and the built modules use
// it for real calls to LINE.
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBackend, javascriptOf } from '../../backend/build.ts';
import type { Config } from '../../backend/src/config.ts';
import type * as Clients from '../../backend/src/line/clients.ts';
import type * as Errors from '../../backend/src/line/line-api-error.ts';
import type * as Signature from '../../backend/src/line/webhook-signature.ts';
import { signBody, startLineEmulator, type LineEmulator } from '../emulators/line/index.ts';

describe('the backend build', () => {
  it('blanks out types in place and renames relative .ts imports, static, side-effect and dynamic', () => {
    const source = [
      "import { a, type B } from './a.ts';",
      "import type { C } from '../c.ts';",
      "import './side-effect.ts';",
      'export {',
      '  d,',
      "} from './d/index.ts';",
      "import express from 'express';",
      "const { e } = await import('./e.ts');",
      "const label: string = 'see ./not-an-import.ts';",
      'export function f(x: number): B | C { return a(x) as B; }',
    ].join('\n');
    const js = javascriptOf(source);
    const lines = js.split('\n');
    expect(lines).toHaveLength(source.split('\n').length);
    expect(lines[0]).toMatch(/^import \{ a,\s+\} from '\.\/a\.js';$/);
    expect(lines[1].trim()).toBe('');
    expect(lines[2]).toBe("import './side-effect.js';");
    expect(lines[5]).toBe("} from './d/index.js';");
    expect(lines[6]).toBe("import express from 'express';");
    expect(lines[7]).toBe("const { e } = await import('./e.js');");
    expect(lines[8]).toMatch(/^const label\s+= 'see \.\/not-an-import\.ts';$/);
    // Same column for the function's body as in the source.
    expect(lines[9].indexOf('return a(x)')).toBe(source.split('\n')[9].indexOf('return a(x)'));
  });
});

describe('the built LINE SDK facade', () => {
  const outDir = fileURLToPath(new URL(`../../dist/test-build-${process.pid}/`, import.meta.url));
  const built = <T>(path: string) => import(pathToFileURL(`${outDir}${path}`).href) as Promise<T>;
  let line: LineEmulator;
  beforeAll(async () => {
    await buildBackend(outDir);
    line = await startLineEmulator();
  });
  afterAll(async () => {
    await line?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('is one module that imports nothing but Node built-ins', () => {
    const code = readFileSync(`${outDir}line/line-sdk.js`, 'utf8');
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual([]);
    expect(code).not.toMatch(/\brequire\(|\bimport\(/);
    expect(code).toMatch(/\bMessagingApiClient = class\b/);
  });

  it("serves the built backend's calls to LINE: a push, a refused token as LineApiError, a webhook signature", async () => {
    const { lineClients } = await built<typeof Clients>('line/clients.js');
    const { LineApiError, toLineApiError } = await built<typeof Errors>('line/line-api-error.js');
    const { isValidLineSignature } = await built<typeof Signature>('line/webhook-signature.js');
    const config = { LINE_API_BASE_URL: line.baseUrl, LINE_DATA_API_BASE_URL: line.baseUrl } as Config;
    const channel = line.createChannel();
    const user = line.createUser();
    line.events.follow(channel.channelId, user.userId);

    const { messaging } = lineClients(config, channel.accessToken);
    expect((await messaging.getBotInfo()).userId).toBe(channel.botUserId);
    await messaging.pushMessage({ to: user.userId, messages: [{ type: 'text', text: 'from the build' }] });
    expect(line.received(channel.channelId, user.userId).map((d) => d.messages)).toEqual([[expect.objectContaining({ type: 'text', text: 'from the build' })]]);

    const refused = await lineClients(config, 'not-a-token').messaging.getBotInfo().catch((error: unknown) => toLineApiError(error, 'getBotInfo'));
    expect(refused).toBeInstanceOf(LineApiError);
    expect((refused as InstanceType<typeof LineApiError>).status).toBe(401);

    const body = JSON.stringify({ destination: channel.botUserId, events: [] });
    expect(isValidLineSignature(Buffer.from(body), channel.channelSecret, signBody(channel.channelSecret, body))).toBe(true);
    expect(isValidLineSignature(Buffer.from(body), channel.channelSecret, signBody('another secret', body))).toBe(false);
  });
});
