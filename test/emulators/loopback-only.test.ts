// Who may drive the emulators and the demo page: only callers on this machine, decided by the caller's
// address (loopback-only.ts), and for the demo page also only a browser on the page itself
// (demo/local-browser-only.ts). Tested over HTTP: the servers listen on 127.0.0.1 as they do in the demo,
// and the "other machine" is this machine's own non-loopback address used as the request's source address,
// so the server sees a non-loopback caller without anything listening beyond loopback.
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './demo/fixtures.ts';
import { startDemoPage, type DemoPage } from './demo/page-server.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from './hubspot/index.ts';
import { startLineEmulator, type LineEmulator } from './line/index.ts';

const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (!otherAddress) console.warn('LOOPBACK-ONLY TESTS ARE SKIPPED: this machine has no non-loopback IPv4 address to call from');

interface Answer {
  status: number;
  body: any;
}

function call(url: string, o: { method?: string; from?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: o.method ?? 'GET',
        localAddress: o.from,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...o.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe.skipIf(!otherAddress)('loopback only', () => {
  let line: LineEmulator;
  let hubspot: HubSpotEmulator;
  let page: DemoPage;
  beforeAll(async () => {
    line = await startLineEmulator({ trafficLog: '' });
    hubspot = await startHubSpotEmulator({ trafficLog: '' });
    line.createChannel({ channelId: DEMO.channel.channelId });
    line.createUser(DEMO.user);
    hubspot.createPortal({ portalId: DEMO.portalId });
    page = await startDemoPage({
      port: 0,
      backendUrl: 'http://127.0.0.1:9',
      hubspot,
      portalId: DEMO.portalId,
      lineUrl: line.baseUrl,
      channelId: DEMO.channel.channelId,
      firstUser: DEMO.user,
    });
  });
  afterAll(async () => {
    await page?.close();
    await Promise.all([line?.close(), hubspot?.close()]);
  });

  it('the emulators’ control routes answer 403 to a caller on another address and change nothing', async () => {
    const user = `${line.baseUrl}/_emulator/channels/${DEMO.channel.channelId}/users/${DEMO.user.userId}`;
    const refused = await call(`${user}/follow`, { method: 'POST', from: otherAddress });
    expect(refused).toEqual({ status: 403, body: { message: 'emulator control routes answer only loopback callers' } });
    expect(line.friendship(DEMO.channel.channelId, DEMO.user.userId)).toBe('none');
    expect((await call(`${line.baseUrl}/_emulator/channels/${DEMO.channel.channelId}/users`, { method: 'POST', from: otherAddress, body: {} })).status).toBe(403);
    expect((await call(`${hubspot.baseUrl}/_emulator/portals/${DEMO.portalId}/contacts`, { from: otherAddress })).status).toBe(403);

    expect((await call(`${user}/received`)).status).toBe(200);
    expect((await call(`${hubspot.baseUrl}/_emulator/portals/${DEMO.portalId}/contacts`)).status).toBe(200);
  });

  it('the demo page answers 403 to another address, to a foreign Host (DNS rebinding) and to another site’s POST, and changes nothing', async () => {
    const users = `${page.url}line/users`;
    expect((await call(page.url, { from: otherAddress })).status).toBe(403);
    expect((await call(users, { method: 'POST', from: otherAddress, body: { displayName: 'Mallory' } })).status).toBe(403);
    expect((await call(page.url, { headers: { host: 'rebound.example:80' } })).status).toBe(403);
    const crossSite = await call(users, { method: 'POST', headers: { origin: 'https://evil.example' }, body: { displayName: 'Mallory' } });
    expect(crossSite).toEqual({ status: 403, body: { message: 'the demo page answers only a browser on this machine, on the page itself' } });
    expect((await call(users)).body.users).toEqual([DEMO.user]);

    const home = await call(page.url);
    expect(home.status).toBe(200);
    expect(home.body).toContain('<script type="module" src="main.js"></script>');
    const sameSite = await call(users, { method: 'POST', headers: { origin: page.url.replace(/\/$/, '') }, body: { displayName: 'Ken' } });
    expect(sameSite.status).toBe(201);
    expect((await call(users)).body.users.map((u: { displayName: string }) => u.displayName)).toEqual(['Aiko', 'Ken']);
  });
});

describe('emulator control routes and web pages', () => {
  let line: LineEmulator;
  let hubspot: HubSpotEmulator;
  beforeAll(async () => {
    line = await startLineEmulator({ trafficLog: '' });
    hubspot = await startHubSpotEmulator({ trafficLog: '' });
    line.createChannel({ channelId: DEMO.channel.channelId });
    line.createUser(DEMO.user);
    hubspot.createPortal({ portalId: DEMO.portalId });
  });
  afterAll(async () => {
    await Promise.all([line?.close(), hubspot?.close()]);
  });

  it('refuse another site posting from this machine’s browser (Origin) and a rebound host name, and change nothing', async () => {
    const follow = `${line.baseUrl}/_emulator/channels/${DEMO.channel.channelId}/users/${DEMO.user.userId}/follow`;
    const crossSite = await call(follow, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(crossSite).toEqual({ status: 403, body: { message: 'emulator control routes answer only programs on this machine, not web pages' } });
    expect((await call(follow, { method: 'POST', headers: { host: 'rebound.example' } })).status).toBe(403);
    expect((await call(`${hubspot.baseUrl}/_emulator/portals/${DEMO.portalId}/contacts`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect(line.friendship(DEMO.channel.channelId, DEMO.user.userId)).toBe('none');

    expect((await call(follow, { method: 'POST' })).status).not.toBe(403); // 409 here: no webhook URL is set to tell
    expect(line.friendship(DEMO.channel.channelId, DEMO.user.userId)).toBe('following');
  });
});
