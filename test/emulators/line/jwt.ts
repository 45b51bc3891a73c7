// Minimal JWT signing and verification for LINE Login ID tokens: HS256 with the channel secret
// (web login) and ES256 with a key published as a JWKS (LIFF / SDK logins).
import { createHmac, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

const b64u = (v: Buffer | string) => Buffer.from(v).toString('base64url');
const encodeJson = (v: unknown) => b64u(JSON.stringify(v));

export interface DecodedJwt {
  header: { alg?: string; kid?: string; typ?: string };
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export function signHS256(payload: Record<string, unknown>, secret: string): string {
  const input = `${encodeJson({ typ: 'JWT', alg: 'HS256' })}.${encodeJson(payload)}`;
  return `${input}.${b64u(createHmac('sha256', secret).update(input).digest())}`;
}

export function verifyHS256(jwt: DecodedJwt, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(jwt.signingInput).digest();
  return jwt.header.alg === 'HS256' && expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature);
}

export interface Es256Key {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: JsonWebKey;
}

export function createEs256Key(): Es256Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(16).toString('hex');
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' } };
}

export function signES256(payload: Record<string, unknown>, key: Es256Key): string {
  const input = `${encodeJson({ typ: 'JWT', alg: 'ES256', kid: key.kid })}.${encodeJson(payload)}`;
  // JWS wants the raw r||s signature, not DER.
  return `${input}.${b64u(sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
}

export function verifyES256(jwt: DecodedJwt, key: Es256Key): boolean {
  return jwt.header.alg === 'ES256' && verify('sha256', Buffer.from(jwt.signingInput), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature);
}
