// Verification of the signatures HubSpot puts on the requests it sends to the app.
// v3: base64(HMAC-SHA256(secret, method + uri + body + timestamp)), 5-minute window.
// v2: hex(SHA-256(secret + method + uri + body)) (custom workflow actions are documented as v2).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

// HubSpot decodes these percent-escapes in the URI before signing (v3).
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function normalizeV3Uri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED_ESCAPES[m.toUpperCase()]);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Length mismatch is not secret (signatures have a fixed length); compare equal-length buffers only.
  return left.length === right.length && timingSafeEqual(left, right);
}

export function signV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${normalizeV3Uri(uri)}${body}${timestamp}`).digest('base64');
}

export function signV2(secret: string, method: string, uri: string, body: string): string {
  return createHash('sha256').update(`${secret}${method}${uri}${body}`).digest('hex');
}

export interface SignedRequest {
  method: string;
  /** Candidate full URLs (scheme, host, path, query) the request may have been signed for. */
  urls: string[];
  body: string;
  headers: { v3?: string; timestamp?: string; v2?: string; version?: string };
}

export type SignatureCheck = { ok: true; version: 'v3' | 'v2' } | { ok: false; reason: string };

/** Checks v3 when its headers are present, otherwise v2. */
export function verifyHubSpotSignature(secret: string, req: SignedRequest, now = Date.now()): SignatureCheck {
  const method = req.method.toUpperCase();
  if (req.headers.v3) {
    const ts = req.headers.timestamp ?? '';
    if (!/^\d{10,16}$/.test(ts)) return { ok: false, reason: 'missing or malformed X-HubSpot-Request-Timestamp' };
    if (Math.abs(now - Number(ts)) > SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'timestamp is outside the 5-minute window' };
    const valid = req.urls.some((url) => safeEqual(signV3(secret, method, url, req.body, ts), req.headers.v3!));
    return valid ? { ok: true, version: 'v3' } : { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
  }
  if (req.headers.v2 && (req.headers.version ?? 'v2').toLowerCase() === 'v2') {
    const valid = req.urls.some((url) => safeEqual(signV2(secret, method, url, req.body), req.headers.v2!.toLowerCase()));
    return valid ? { ok: true, version: 'v2' } : { ok: false, reason: 'X-HubSpot-Signature (v2) does not match' };
  }
  return { ok: false, reason: 'no HubSpot signature headers' };
}
