// Headers that make the browser treat what we serve as exactly what it is: HTML pages under a strict
// Content-Security-Policy that allows only what each page needs, and no content sniffing anywhere.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../support/backend.ts';

function directives(csp: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('security headers', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend({ env: { HUBSPOT_CLIENT_ID: 'client-id', HUBSPOT_CLIENT_SECRET: 'client-secret' } });
  });
  afterAll(() => backend.stop());

  it('serves the install pages with a CSP that allows only their own inline style', async () => {
    const res = await fetch(`${backend.url}/oauth/callback?error=access_denied`, { headers: { 'accept-language': 'ja' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    expect(csp.get('style-src')).toEqual([`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
    expect(csp.has('script-src')).toBe(false);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends nosniff with JSON answers and errors too', async () => {
    for (const path of ['/healthz', '/no/such/route']) {
      expect((await fetch(`${backend.url}${path}`)).headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
