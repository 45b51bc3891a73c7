// The backend's generic HTTP behaviour: health, readiness, metrics, error shape, limits, redaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from 'express';
import { startTestBackend, type TestBackend } from '../support/backend.ts';
import { features } from '../../backend/src/features.ts';

const METRICS_TOKEN = 'scrape-token-0123456789';

describe('HTTP surface', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    const probe = {
      name: 'probe',
      routes() {
        const router = Router();
        router.post('/probe/echo', (req, res) => {
          req.log.info({ headers: { authorization: req.get('authorization') }, channelSecret: req.body.channelSecret }, 'probe');
          res.json({ received: req.body });
        });
        router.get('/probe/crash', () => {
          throw new Error('secret internal detail');
        });
        return router;
      },
    };
    backend = await startTestBackend({ features: [...features, probe], env: { METRICS_TOKEN } });
  });
  afterAll(() => backend.stop());

  it('answers health, readiness and metrics', async () => {
    expect(await (await fetch(`${backend.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${backend.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const metrics = await (await fetch(`${backend.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz",status="200"}');
    expect(metrics).toMatch(/# TYPE jobs gauge/);
  });

  it('answers unknown routes with 404 in the one error shape', async () => {
    const res = await fetch(`${backend.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /no/such/route' } });
  });

  it('rejects malformed JSON with 400 and bodies over 1 MB with 413', async () => {
    const bad = await fetch(`${backend.url}/probe/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('malformed_json');
    const big = await fetch(`${backend.url}/probe/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'a'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
  });

  it('never puts a stack trace or internal message in a 500', async () => {
    const res = await fetch(`${backend.url}/probe/crash`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(text).not.toContain('secret internal detail');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('redacts authorization headers and secrets from the logs', async () => {
    await fetch(`${backend.url}/probe/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer tok-SHOULD-NOT-LEAK' },
      body: JSON.stringify({ channelSecret: 'sec-SHOULD-NOT-LEAK' }),
    });
    const logs = backend.logText();
    expect(logs).toContain('"msg":"probe"');
    expect(logs).not.toContain('SHOULD-NOT-LEAK');
  });
});
