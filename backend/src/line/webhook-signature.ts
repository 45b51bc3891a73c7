// LINE signs each webhook body with the channel secret: base64(HMAC-SHA256(secret, rawBody)).
// The check runs over the exact bytes received, before anything trusts the parsed JSON.
import { validateSignature } from './line-sdk.ts';

export function isValidLineSignature(rawBody: Buffer | undefined, channelSecret: string, signature: string | undefined): boolean {
  if (!rawBody || !signature) return false;
  // validateSignature compares in constant time (timingSafeEqual) after a length check.
  return validateSignature(rawBody, channelSecret, signature);
}
