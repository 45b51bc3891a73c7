// HubSpot request signatures, checked against the documented algorithms computed independently here
// (node:crypto directly), not against the code under test.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeV3Uri, SIGNATURE_MAX_AGE_MS, SIGNATURE_MAX_FUTURE_MS, verifyHubSpotSignature, type SignedRequest } from '../../backend/src/hubspot/signature.ts';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const NOW = 1_760_000_000_000;

/** v3 as documented: base64(HMAC-SHA256(secret, method + decodedUri + body + timestamp)). */
function documentedV3(method: string, signedUri: string, body: string, timestamp: number): string {
  return createHmac('sha256', SECRET).update(`${method}${signedUri}${body}${timestamp}`, 'utf8').digest('base64');
}

/** v2 as documented: hex(SHA-256(secret + method + uri + body)). */
function documentedV2(method: string, uri: string, body: string): string {
  return createHash('sha256').update(`${SECRET}${method}${uri}${body}`, 'utf8').digest('hex');
}

function v3Request(overrides: Partial<SignedRequest> & { signature: string; timestamp?: number }): SignedRequest {
  return {
    method: overrides.method ?? 'POST',
    urls: overrides.urls ?? ['https://backend.example.com/api/portal?portalId=123'],
    body: overrides.body ?? '{"a":1}',
    headers: { v3: overrides.signature, timestamp: String(overrides.timestamp ?? NOW) },
  };
}

describe('HubSpot signature v3', () => {
  const url = 'https://backend.example.com/api/portal?portalId=123&userId=7';
  const body = '{"text":"こんにちは"}';

  it('accepts a request signed as documented', () => {
    const signature = documentedV3('POST', url, body, NOW);
    expect(verifyHubSpotSignature(SECRET, v3Request({ urls: [url], body, signature }), { now: NOW })).toEqual({ ok: true, version: 'v3' });
  });

  it('matches the documented example of the GET request with no body', () => {
    const getUrl = 'https://www.example.com/webhook_uri';
    const signature = documentedV3('GET', getUrl, '', NOW);
    expect(verifyHubSpotSignature(SECRET, { method: 'GET', urls: [getUrl], body: '', headers: { v3: signature, timestamp: String(NOW) } }, { now: NOW }).ok).toBe(true);
  });

  it('decodes exactly the documented escapes (: / ? @ ! $ \' ( ) * , ;) before signing, in either case', () => {
    const encoded = 'https://backend.example.com/api/x?email=a%40b.com&t=%3A%2F%3F%21%24%27%28%29%2A%2C%3B&lower=%3a%2f%40';
    const decoded = "https://backend.example.com/api/x?email=a@b.com&t=:/?!$'()*,;&lower=:/@";
    expect(normalizeV3Uri(encoded)).toBe(decoded);
    const signature = documentedV3('GET', decoded, '', NOW);
    expect(verifyHubSpotSignature(SECRET, { method: 'GET', urls: [encoded], body: '', headers: { v3: signature, timestamp: String(NOW) } }, { now: NOW }).ok).toBe(true);
  });

  it('leaves every other escape encoded (space, +, =, &, #, %, non-ASCII)', () => {
    const encoded = 'https://backend.example.com/api/x?q=a%20b%2Bc%3Dd%26e%23f%25g%E3%81%82';
    expect(normalizeV3Uri(encoded)).toBe(encoded);
    const overDecoded = documentedV3('GET', decodeURIComponent(encoded), '', NOW);
    expect(verifyHubSpotSignature(SECRET, { method: 'GET', urls: [encoded], body: '', headers: { v3: overDecoded, timestamp: String(NOW) } }, { now: NOW }).ok).toBe(false);
    const asIs = documentedV3('GET', encoded, '', NOW);
    expect(verifyHubSpotSignature(SECRET, { method: 'GET', urls: [encoded], body: '', headers: { v3: asIs, timestamp: String(NOW) } }, { now: NOW }).ok).toBe(true);
  });

  it('fails when the method, URL, query, body, timestamp or secret differ from what was signed', () => {
    const signature = documentedV3('POST', url, body, NOW);
    const check = (req: SignedRequest, secret = SECRET) => verifyHubSpotSignature(secret, req, { now: NOW }).ok;
    expect(check(v3Request({ method: 'PUT', urls: [url], body, signature }))).toBe(false);
    expect(check(v3Request({ urls: [url.replace('/api/portal', '/api/portal/disconnect')], body, signature }))).toBe(false);
    expect(check(v3Request({ urls: [url.replace('portalId=123', 'portalId=124')], body, signature }))).toBe(false);
    expect(check(v3Request({ urls: [url.replace('https:', 'http:')], body, signature }))).toBe(false);
    expect(check(v3Request({ urls: [url], body: body + ' ', signature }))).toBe(false);
    expect(check(v3Request({ urls: [url], body, signature, timestamp: NOW + 1 }))).toBe(false);
    expect(check(v3Request({ urls: [url], body, signature }), 'another-secret')).toBe(false);
    expect(check(v3Request({ urls: [url], body, signature: signature.slice(0, -4) }))).toBe(false);
    expect(check(v3Request({ urls: [url], body, signature: '' }))).toBe(false);
  });

  it('rejects timestamps outside the 5-minute window (stale or from the future) and malformed ones', () => {
    const at = (ts: number) => verifyHubSpotSignature(SECRET, v3Request({ urls: [url], body, timestamp: ts, signature: documentedV3('POST', url, body, ts) }), { now: NOW });
    expect(at(NOW - SIGNATURE_MAX_AGE_MS + 1000).ok).toBe(true);
    expect(at(NOW - SIGNATURE_MAX_AGE_MS - 1000)).toEqual({ ok: false, reason: 'timestamp is older than 5 minutes' });
    expect(at(NOW + SIGNATURE_MAX_FUTURE_MS - 1000).ok).toBe(true);
    expect(at(NOW + SIGNATURE_MAX_FUTURE_MS + 1000)).toEqual({ ok: false, reason: 'timestamp is in the future' });
    expect(at(NOW + SIGNATURE_MAX_AGE_MS - 1000).ok).toBe(false);
    const malformed = verifyHubSpotSignature(SECRET, { method: 'POST', urls: [url], body, headers: { v3: 'x', timestamp: 'yesterday' } }, { now: NOW });
    expect(malformed.ok).toBe(false);
    const missing = verifyHubSpotSignature(SECRET, { method: 'POST', urls: [url], body, headers: { v3: documentedV3('POST', url, body, NOW) } }, { now: NOW });
    expect(missing.ok).toBe(false);
  });

  it('requires v3 by default: a request with only a valid v2 signature, or an empty v3 header, fails', () => {
    const v2Only: SignedRequest = { method: 'POST', urls: [url], body, headers: { v2: documentedV2('POST', url, body), version: 'v2' } };
    expect(verifyHubSpotSignature(SECRET, v2Only, { now: NOW })).toEqual({ ok: false, reason: 'X-HubSpot-Signature-v3 is required' });
    const emptyV3: SignedRequest = { ...v2Only, headers: { ...v2Only.headers, v3: '', timestamp: String(NOW) } };
    expect(verifyHubSpotSignature(SECRET, emptyV3, { now: NOW, accept: ['v3', 'v2'] }).ok).toBe(false);
  });

  it('does not fall back to a valid v2 signature when the v3 one is wrong', () => {
    const req: SignedRequest = { method: 'POST', urls: [url], body, headers: { v3: 'forged', timestamp: String(NOW), v2: documentedV2('POST', url, body), version: 'v2' } };
    expect(verifyHubSpotSignature(SECRET, req, { now: NOW }).ok).toBe(false);
  });

  it('accepts the request when any candidate URL (public URL or as received behind a proxy) matches', () => {
    const signature = documentedV3('POST', url, body, NOW);
    expect(verifyHubSpotSignature(SECRET, v3Request({ urls: ['http://127.0.0.1:3000/api/portal?portalId=123&userId=7', url], body, signature }), { now: NOW }).ok).toBe(true);
  });
});

describe('HubSpot signature v2', () => {
  const url = 'https://backend.example.com/hubspot/actions/send?x=1';
  const body = '{"callbackId":"ap-1"}';
  // Only workflow-action routes accept v2 (HubSpot signs executions with v2 only).
  const V2_ROUTE = { now: NOW, accept: ['v3', 'v2'] as const };
  const v2 = (req: Partial<SignedRequest['headers']> & { method?: string; url?: string; body?: string }) =>
    verifyHubSpotSignature(SECRET, { method: req.method ?? 'POST', urls: [req.url ?? url], body: req.body ?? body, headers: { v2: req.v2, version: req.version } }, V2_ROUTE);

  it('accepts hex(SHA-256(secret + method + uri + body)), with or without the version header, in upper or lower case', () => {
    const signature = documentedV2('POST', url, body);
    expect(v2({ v2: signature, version: 'v2' })).toEqual({ ok: true, version: 'v2' });
    expect(v2({ v2: signature }).ok).toBe(true);
    expect(v2({ v2: signature.toUpperCase(), version: 'v2' }).ok).toBe(true);
  });

  it('matches the documented example of the GET request with no body', () => {
    const getUrl = 'https://www.example.com/webhook_uri';
    expect(documentedV2('GET', getUrl, '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
    expect(v2({ method: 'GET', url: getUrl, body: '', v2: 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e' }).ok).toBe(true);
  });

  it('fails when the method, URL, body or secret differ, and refuses other signature versions (v1)', () => {
    const signature = documentedV2('POST', url, body);
    expect(v2({ v2: signature, method: 'PUT' }).ok).toBe(false);
    expect(v2({ v2: signature, url: url + '&y=2' }).ok).toBe(false);
    expect(v2({ v2: signature, body: '{}' }).ok).toBe(false);
    expect(verifyHubSpotSignature('other', { method: 'POST', urls: [url], body, headers: { v2: signature, version: 'v2' } }, V2_ROUTE).ok).toBe(false);
    expect(v2({ v2: createHash('sha256').update(SECRET + body).digest('hex'), version: 'v1' }).ok).toBe(false);
  });

  it('a request with no signature headers fails', () => {
    expect(verifyHubSpotSignature(SECRET, { method: 'POST', urls: [url], body, headers: {} }, V2_ROUTE)).toEqual({ ok: false, reason: 'no HubSpot signature headers' });
  });
});
