import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator } from './index.ts';
import type { HubSpotEmulator, Portal } from './index.ts';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  v3ok: boolean;
  v2ok: boolean;
  v1ok: boolean;
}

let hs: HubSpotEmulator;
let portal: Portal;
let server: Server;
let base: string;
let received: Received[];
let script: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>;

const equal = (a: string, b: string | undefined) => !!b && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Independent verification, written from the documented rules rather than the emulator's signing module. */
function verify(secret: string, req: express.Request, raw: string) {
  const uri = `http://${req.headers.host}${req.originalUrl}`;
  const decoded = uri.replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%3F/gi, '?').replace(/%40/gi, '@').replace(/%21/gi, '!')
    .replace(/%24/gi, '$').replace(/%27/gi, "'").replace(/%28/gi, '(').replace(/%29/gi, ')').replace(/%2A/gi, '*').replace(/%2C/gi, ',').replace(/%3B/gi, ';');
  const ts = String(req.headers['x-hubspot-request-timestamp'] ?? '');
  const fresh = Math.abs(Date.now() - Number(ts)) < 5 * 60_000;
  const v3 = createHmac('sha256', secret).update(req.method + decoded + raw + ts).digest('base64');
  const v2 = createHash('sha256').update(secret + req.method + uri + raw).digest('hex');
  const v1 = createHash('sha256').update(secret + raw).digest('hex');
  const sig = req.headers['x-hubspot-signature'] as string | undefined;
  return {
    v3ok: fresh && equal(v3, req.headers['x-hubspot-signature-v3'] as string | undefined),
    v2ok: req.headers['x-hubspot-signature-version'] === 'v2' && equal(v2, sig),
    v1ok: req.headers['x-hubspot-signature-version'] === 'v1' && equal(v1, sig),
  };
}

beforeEach(async () => {
  hs = await startHubSpotEmulator({ clientSecret: 'shh-secret', trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
  portal = hs.createPortal({ owners: [{ email: 'agent@example.com', userId: 321 }] });
  received = [];
  script = [];
  const app = express();
  app.use(express.text({ type: '*/*' }));
  app.all('/{*rest}', (req, res) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    received.push({ method: req.method, url: req.originalUrl, headers: req.headers, raw, ...verify('shh-secret', req, raw) });
    const next = script.shift() ?? { status: 200, body: { ok: true } };
    res.status(next.status).set(next.headers ?? {}).json(next.body ?? {});
  });
  server = await new Promise<Server>((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await hs.close();
});

describe('hubspot.fetch', () => {
  it('appends identity (by default the portal\'s super admin) to the query and signs v3 and v2 verifiably', async () => {
    const res = await hs.hubspotFetch(`${base}/api/chat/send?contactId=12`, { portalId: portal.portalId, method: 'POST', body: { text: 'hello (hi)!' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const r = received[0];
    const q = new URL(r.url, base).searchParams;
    const [admin] = portal.users;
    expect(admin.superAdmin).toBe(true);
    expect(Object.fromEntries(q)).toMatchObject({ contactId: '12', portalId: String(portal.portalId), userId: String(admin.id), userEmail: admin.email, appId: String(hs.appId) });
    expect(r.raw).toBe(JSON.stringify({ text: 'hello (hi)!' }));
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.v3ok).toBe(true);
    expect(r.v2ok).toBe(true);
    await hs.hubspotFetch(`${base}/api/chat/send`, { portalId: portal.portalId, userId: 321, userEmail: 'agent@example.com', method: 'POST', body: {} });
    expect(Object.fromEntries(new URL(received[1].url, base).searchParams)).toMatchObject({ userId: '321', userEmail: 'agent@example.com' });
  });

  it('signs v3 only when asked; a wrong secret or stale timestamp fails verification', async () => {
    await hs.hubspotFetch(`${base}/api/status`, { portalId: portal.portalId, signatureVersion: 'v3' });
    expect(received[0]).toMatchObject({ method: 'GET', v3ok: true, v2ok: false });
    expect(received[0].headers['x-hubspot-signature']).toBeUndefined();
    await hs.hubspotFetch(`${base}/api/status`, { portalId: portal.portalId, clientSecret: 'wrong' });
    expect(received[1]).toMatchObject({ v3ok: false, v2ok: false });
    await hs.hubspotFetch(`${base}/api/status`, { portalId: portal.portalId, timestamp: Date.now() - 6 * 60_000 });
    expect(received[2].v3ok).toBe(false);
  });

  it('retries once on 5xx, enforces the 1 MB request limit and the timeout', async () => {
    script.push({ status: 502, body: { error: 'boom' } });
    const res = await hs.hubspotFetch(`${base}/api/x`, { portalId: portal.portalId });
    expect(res.status).toBe(200);
    expect(received).toHaveLength(2);
    script.push({ status: 500 }, { status: 503 });
    expect((await hs.hubspotFetch(`${base}/api/x`, { portalId: portal.portalId })).status).toBe(503);
    await expect(hs.hubspotFetch(`${base}/api/x`, { portalId: portal.portalId, method: 'POST', body: { big: 'x'.repeat(1024 * 1024) } })).rejects.toThrow(/1 MB/);
    await expect(hs.hubspotFetch('http://127.0.0.1:9/nothing', { portalId: portal.portalId, timeoutMs: 300 })).rejects.toThrow();
  });

  it('retries once when the answer is lost, with the same request', async () => {
    const res = await hs.hubspotFetch(`${base}/api/chat/send`, { portalId: portal.portalId, method: 'POST', body: { clientMessageId: 'a' }, lostAnswers: 1 });
    expect(res.status).toBe(200);
    expect(received.map((r) => r.raw)).toEqual([JSON.stringify({ clientMessageId: 'a' }), JSON.stringify({ clientMessageId: 'a' })]);
    await expect(hs.hubspotFetch(`${base}/api/chat/send`, { portalId: portal.portalId, method: 'POST', body: {}, lostAnswers: 2 })).rejects.toThrow(/connection was lost/);
    expect(received).toHaveLength(4);
    expect(hs.fetches.map((f) => [f.status, f.attempts])).toEqual([[200, 2], [0, 2]]);
  });

  it('answers 429 to the 21st request in flight for one app and portal, and counts it', async () => {
    const other = hs.createPortal();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = express();
    slow.get('/api/wait', async (_req, res) => {
      await held;
      res.json({ ok: true });
    });
    const slowServer = await new Promise<Server>((resolve) => {
      const srv = slow.listen(0, '127.0.0.1', () => resolve(srv));
    });
    const url = `http://127.0.0.1:${(slowServer.address() as AddressInfo).port}/api/wait`;
    try {
      const first20 = Array.from({ length: 20 }, () => hs.hubspotFetch(url, { portalId: portal.portalId }));
      const refused = await hs.hubspotFetch(url, { portalId: portal.portalId });
      expect(refused.status).toBe(429);
      const elsewhere = hs.hubspotFetch(url, { portalId: other.portalId });
      release();
      expect((await Promise.all(first20)).map((r) => r.status)).toEqual(Array(20).fill(200));
      expect((await elsewhere).status).toBe(200);
      expect((await hs.hubspotFetch(url, { portalId: portal.portalId })).status).toBe(200);
      expect(hs.fetches.filter((f) => f.status === 429)).toEqual([expect.objectContaining({ portalId: portal.portalId, path: '/api/wait' })]);
      expect([hs.fetchPeakInFlight(portal.portalId), hs.fetchPeakInFlight(other.portalId)]).toEqual([20, 1]);
    } finally {
      slowServer.closeAllConnections();
      await new Promise((r) => slowServer.close(r));
    }
  });

  it('never waits longer than HubSpot\'s cap, whatever timeout the extension asks for', async () => {
    const capped = await startHubSpotEmulator({ clientSecret: 'shh-secret', maxFetchTimeoutMs: 200 });
    const hang = express();
    hang.get('/api/hang', () => undefined);
    const hangServer = await new Promise<Server>((resolve) => {
      const srv = hang.listen(0, '127.0.0.1', () => resolve(srv));
    });
    try {
      const url = `http://127.0.0.1:${(hangServer.address() as AddressInfo).port}/api/hang`;
      await expect(capped.hubspotFetch(url, { portalId: capped.createPortal().portalId, timeoutMs: 60_000 })).rejects.toThrow(/timeout|aborted/i);
    } finally {
      hangServer.closeAllConnections();
      await new Promise((r) => hangServer.close(r));
      await capped.close();
    }
  });
});

describe('workflow actions, webhooks, options', () => {
  it('executes an action with the real payload, retries 503 and 429 honouring Retry-After, then succeeds', async () => {
    const contact = portal.createObject('contacts', { email: 'wf@example.com', firstname: 'Wf' });
    script.push({ status: 503 }, { status: 429, headers: { 'Retry-After': '7' } }, { status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS' } } });
    const before = hs.clock.now();
    const result = await hs.executeWorkflowAction({
      actionUrl: `${base}/hubspot/actions/send`,
      portalId: portal.portalId,
      object: { objectId: contact.id, properties: { firstname: 'Wf' } },
      inputFields: { message1: 'Hi {{firstname}}' },
      workflowId: 99,
    });
    expect(result.attempts.map((a) => a.status)).toEqual([503, 429, 200]);
    expect(result.outcome).toEqual({ outputFields: { hs_execution_state: 'SUCCESS' } });
    expect(hs.clock.now() - before).toBeGreaterThanOrEqual(7000);
    const payload = JSON.parse(received[0].raw);
    expect(payload).toMatchObject({
      callbackId: result.callbackId,
      origin: { portalId: portal.portalId, actionDefinitionId: 1 },
      context: { workflowId: 99, source: 'WORKFLOWS' },
      object: { objectId: Number(contact.id), objectType: 'CONTACT', properties: { firstname: 'Wf' } },
      inputFields: { message1: 'Hi {{firstname}}' },
    });
    expect(received.every((r) => r.v2ok && r.v3ok)).toBe(true);
    expect(received.map((r) => JSON.parse(r.raw).callbackId)).toEqual([result.callbackId, result.callbackId, result.callbackId]);
    script.push({ status: 400, body: { message: 'bad input' } });
    const failed = await hs.executeWorkflowAction({ actionUrl: `${base}/hubspot/actions/send`, portalId: portal.portalId, object: { objectId: contact.id }, inputFields: {} });
    expect(failed.attempts).toHaveLength(1);
    expect(hs.workflowExecutions).toHaveLength(2);
  });

  it('sends the enrolled contact\'s values of the definition\'s objectRequestOptions.properties, leaving out empty ones', async () => {
    const contact = portal.createObject('contacts', { email: 'req@example.com', firstname: '花子' });
    script.push({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    await hs.executeWorkflowAction({ actionUrl: `${base}/hubspot/actions/send`, portalId: portal.portalId, object: { objectId: contact.id }, objectRequestProperties: ['firstname', 'lastname', 'email'], inputFields: {} });
    expect(JSON.parse(received.at(-1)!.raw).object).toEqual({ objectId: Number(contact.id), objectType: 'CONTACT', properties: { firstname: '花子', email: 'req@example.com' } });
  });

  it('runs a company workflow execution with the enrolled company\'s values of the requested properties', async () => {
    const company = portal.createObject('companies', { name: 'ACME', city: '大阪' });
    script.push({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    await hs.executeWorkflowAction({ actionUrl: `${base}/hubspot/actions/send`, portalId: portal.portalId, object: { objectId: company.id, objectType: 'COMPANY' }, objectRequestProperties: ['name', 'domain', 'city'], inputFields: {} });
    expect(JSON.parse(received.at(-1)!.raw).object).toEqual({ objectId: Number(company.id), objectType: 'COMPANY', properties: { name: 'ACME', city: '大阪' } });
  });

  it('retries an execution whose answer was lost with the same callbackId, and gives up after 3 days', async () => {
    const contact = portal.createObject('contacts', { email: 'lost@example.com' });
    script.push({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } }, { status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    const lost = await hs.executeWorkflowAction({ actionUrl: `${base}/hubspot/actions/send`, portalId: portal.portalId, object: { objectId: contact.id }, inputFields: {}, lostAnswers: 1 });
    expect(lost.attempts.map((a) => a.status)).toEqual([0, 200]);
    expect(received.slice(-2).map((r) => JSON.parse(r.raw).callbackId)).toEqual([lost.callbackId, lost.callbackId]);
    for (let i = 0; i < 4; i++) script.push({ status: 503, headers: { 'Retry-After': String(2 * 24 * 3600) } });
    const before = hs.clock.now();
    const tooLong = await hs.executeWorkflowAction({ actionUrl: `${base}/hubspot/actions/send`, portalId: portal.portalId, object: { objectId: contact.id }, inputFields: {}, maxAttempts: 4 });
    expect(tooLong.attempts).toHaveLength(2);
    expect(hs.clock.now() - before).toBeLessThanOrEqual(3 * 24 * 3_600_000);
    script.splice(0);
  });

  it('sends signed webhook batches and options requests', async () => {
    const sent = await hs.sendWebhooks(`${base}/hubspot/webhooks`, [
      { subscriptionType: 'contact.deletion', portalId: portal.portalId, objectId: 123 },
      { subscriptionType: 'contact.merge', portalId: portal.portalId, objectId: 5, primaryObjectId: 5, mergedObjectIds: [6] },
    ]);
    expect(sent.status).toBe(200);
    const events = JSON.parse(received[0].raw);
    expect(events[0]).toMatchObject({ subscriptionType: 'contact.deletion', portalId: portal.portalId, objectId: 123, appId: hs.appId, attemptNumber: 0, changeSource: 'CRM' });
    expect(typeof events[0].eventId).toBe('number');
    expect(events[1]).toMatchObject({ primaryObjectId: 5, mergedObjectIds: [6], newObjectId: 5 });
    expect(received[0]).toMatchObject({ v3ok: true, v1ok: true });
    const opts = await hs.callOptionsUrl(`${base}/hubspot/actions/options`, { portalId: portal.portalId, inputFieldName: 'template', q: 'wel' });
    expect(opts.status).toBe(200);
    expect(JSON.parse(received[1].raw)).toMatchObject({ origin: { portalId: portal.portalId }, inputFieldName: 'template', fetchOptions: { q: 'wel' } });
    expect(received[1].v3ok).toBe(true);
  });

  it('reads an optionsUrl answer as the workflow editor does: options with label and value, refused loudly otherwise', async () => {
    const url = `${base}/hubspot/actions/options`;
    const ask = () => hs.fieldOptions(url, { portalId: portal.portalId, inputFieldName: 'template', inputFields: { lineAccount: '7' } });
    script.push({ status: 200, body: { options: [{ label: 'Welcome: Hello!', value: '12', description: '2 messages' }], searchable: true } });
    expect(await ask()).toEqual({ status: 200, options: [{ label: 'Welcome: Hello!', value: '12', description: '2 messages' }], searchable: true });
    expect(JSON.parse(received.at(-1)!.raw)).toMatchObject({ inputFieldName: 'template', inputFields: { lineAccount: '7' } });
    script.push({ status: 400, body: { error: 'no such field' } });
    expect(await ask()).toEqual({ status: 400, options: [] });
    for (const body of [{ options: [{ value: '1' }] }, { options: 'none' }, { options: [], searchable: 'yes' }, [{ label: 'a', value: '1' }]]) {
      script.push({ status: 200, body });
      await expect(ask()).rejects.toThrow(/not one HubSpot accepts/);
    }
  });
});
