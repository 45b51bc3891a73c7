// AES-256-GCM for secrets at rest. Each ciphertext names the key that sealed it, so keys can rotate:
// seal with the current key, open with the current or any previous one.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMAT = 'v1';

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const k of [currentKey, ...previousKeys]) {
      if (k.length !== 32) throw new Error('encryption keys must be 32 bytes');
      this.keys.set(keyId(k), k);
    }
    this.current = { id: keyId(currentKey), key: currentKey };
  }

  holdsKey(id: string): boolean {
    return this.keys.has(id);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). `context` binds the ciphertext to where it is stored. */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  open(sealed: string, context = ''): string {
    const [format, id, iv, tag, body] = sealed.split(':');
    if (format !== FORMAT || !id || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed secret');
    const key = this.keys.get(id);
    if (!key) throw new Error(`secret sealed with unknown key ${id}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A 32-byte key for another purpose (e.g. signing media URLs), derived from the current key with HKDF. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.current.key, Buffer.alloc(0), `line-for-hubspot:${purpose}`, 32));
  }

  /** True when the value was sealed with an older key and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealed.split(':')[1] !== this.current.id;
  }
}

/**
 * The key from ENCRYPTION_KEY, or in development a key generated once into the data directory.
 * Returns whether the key was generated, so start-up can say so.
 */
export function loadEncryptionKey(options: { configuredKey?: string; dataDir: string; production: boolean }): { key: Buffer; generatedAt?: string } {
  if (options.configuredKey) return { key: Buffer.from(options.configuredKey, 'base64') };
  if (options.production) throw new Error('ENCRYPTION_KEY is required in production');
  const path = join(options.dataDir, 'encryption.key');
  if (existsSync(path)) return { key: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64') };
  mkdirSync(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600 });
  return { key, generatedAt: path };
}
