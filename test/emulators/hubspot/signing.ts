// HubSpot request signatures (v1 webhooks, v2 workflow actions, v3 everything current), computed the way HubSpot signs.
import { createHash, createHmac } from 'node:crypto';

/** The escapes HubSpot decodes in the URI before computing a v3 signature. */
const V3_DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function v3Uri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODED[m.toUpperCase()]);
}

/** base64(HMAC-SHA256(secret, method + uri + body + timestamp)), uri with HubSpot's decoding applied. */
export function signV3(secret: string, method: string, uri: string, body: string, timestamp: number | string): string {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}${v3Uri(uri)}${body}${timestamp}`, 'utf8').digest('base64');
}

/** hex(SHA-256(secret + method + uri + body)). */
export function signV2(secret: string, method: string, uri: string, body: string): string {
  return createHash('sha256').update(`${secret}${method.toUpperCase()}${uri}${body}`, 'utf8').digest('hex');
}

/** hex(SHA-256(secret + body)), what legacy webhook deliveries carry. */
export function signV1(secret: string, body: string): string {
  return createHash('sha256').update(`${secret}${body}`, 'utf8').digest('hex');
}

export type SignatureVersion = 'v3' | 'v2' | 'both';

export function signatureHeaders(secret: string, method: string, uri: string, body: string, version: SignatureVersion, timestamp = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {};
  if (version === 'v3' || version === 'both') {
    headers['X-HubSpot-Request-Timestamp'] = String(timestamp);
    headers['X-HubSpot-Signature-v3'] = signV3(secret, method, uri, body, timestamp);
  }
  if (version === 'v2' || version === 'both') {
    headers['X-HubSpot-Signature'] = signV2(secret, method, uri, body);
    headers['X-HubSpot-Signature-Version'] = 'v2';
  }
  return headers;
}
