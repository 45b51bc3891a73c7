// GET /metrics tells about traffic and jobs: it exists only when METRICS_TOKEN is set, and then only for
// a scraper that sends that token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../support/backend.ts';

const TOKEN = 'prometheus-scrape-token-4f9a1c';

describe('metrics access', () => {
  let open: TestBackend;
  let closed: TestBackend;
  beforeAll(async () => {
    [open, closed] = await Promise.all([startTestBackend({ env: { METRICS_TOKEN: TOKEN } }), startTestBackend()]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), closed?.stop()]);
  });

  const scrape = (backend: TestBackend, authorization?: string) =>
    fetch(`${backend.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });

  it('answers 404 when no METRICS_TOKEN is set, whatever is sent', async () => {
    expect((await scrape(closed)).status).toBe(404);
    expect((await scrape(closed, `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('answers 401 without the token, with a wrong one or another scheme', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0000000000', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await scrape(open, authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('answers the metrics for the bearer token, and never logs it', async () => {
    const res = await scrape(open, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/# TYPE http_request_duration_seconds histogram/);
    expect(open.logText()).not.toContain(TOKEN);
  });
});
