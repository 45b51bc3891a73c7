// The path keys that identify an account in public URLs (webhook, LINE Login). They are the only thing
// standing between the internet and an account's endpoints, so they are random, long and URL-safe.
import { randomBytes } from 'node:crypto';

/** 192 random bits as base64url: 32 characters, safe in a URL path segment without escaping. */
export function newAccountKey(): string {
  return randomBytes(24).toString('base64url');
}

/** The shape newAccountKey produces; anything else cannot be a key and is answered 404 without a lookup. */
export function isAccountKey(value: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(value);
}
