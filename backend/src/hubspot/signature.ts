// Verification of the signatures HubSpot puts on the requests it sends to the app.
// v3: base64(HMAC-SHA256(secret, method + uri + body + timestamp)), 5-minute window.
// v2: hex(SHA-256(secret + method + uri + body)) (custom workflow actions are documented as v2; accepted only there).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;
/** How far a timestamp may be ahead of our clock (clock skew); a later one was not made by HubSpot just now. */
export const SIGNATURE_MAX_FUTURE_MS = 5 * 1000;

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

export type SignatureVersion = 'v3' | 'v2';

export type SignatureCheck = { ok: true; version: SignatureVersion } | { ok: false; reason: string };

export interface VerifyOptions {
  /**
   * Versions the route accepts. Everything HubSpot sends today carries v3 except workflow-action
   * executions, which are documented as v2: only those routes may accept v2, or a v2-only request
   * (no timestamp, so replayable forever) would be a downgrade.
   */
  accept?: readonly SignatureVersion[];
  now?: number;
}

/**
 * Checks v3 whenever a v3 header is present (even empty: a present but empty v3 header is a failure,
 * never a reason to fall back to v2), otherwise v2 where the route accepts it.
 */
export function verifyHubSpotSignature(secret: string, req: SignedRequest, options: VerifyOptions = {}): SignatureCheck {
  const accept = options.accept ?? ['v3'];
  const now = options.now ?? Date.now();
  const method = req.method.toUpperCase();
  if (req.headers.v3 !== undefined) {
    if (!accept.includes('v3')) return { ok: false, reason: 'this route accepts only v2 signatures' };
    const ts = req.headers.timestamp ?? '';
    if (!/^\d{10,16}$/.test(ts)) return { ok: false, reason: 'missing or malformed X-HubSpot-Request-Timestamp' };
    const age = now - Number(ts);
    if (age > SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'timestamp is older than 5 minutes' };
    if (age < -SIGNATURE_MAX_FUTURE_MS) return { ok: false, reason: 'timestamp is in the future' };
    const valid = req.headers.v3 !== '' && req.urls.some((url) => safeEqual(signV3(secret, method, url, req.body, ts), req.headers.v3!));
    return valid ? { ok: true, version: 'v3' } : { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
  }
  if (!accept.includes('v2')) return { ok: false, reason: 'X-HubSpot-Signature-v3 is required' };
  if (req.headers.v2 && (req.headers.version ?? 'v2').toLowerCase() === 'v2') {
    const valid = req.urls.some((url) => safeEqual(signV2(secret, method, url, req.body), req.headers.v2!.toLowerCase()));
    return valid ? { ok: true, version: 'v2' } : { ok: false, reason: 'X-HubSpot-Signature (v2) does not match' };
  }
  return { ok: false, reason: 'no HubSpot signature headers' };
}
