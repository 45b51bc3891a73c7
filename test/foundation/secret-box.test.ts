import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, keyId, loadEncryptionKey } from '../../backend/src/crypto/secret-box.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs();

describe('secret box', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(newKey);
    const sealed = box.seal('channel-secret-value', 'line_accounts:1:channel_secret');
    expect(sealed).not.toContain('channel-secret-value');
    expect(sealed.split(':')[1]).toBe(keyId(newKey));
    expect(box.open(sealed, 'line_accounts:1:channel_secret')).toBe('channel-secret-value');
    // Fresh IV each time.
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('rejects tampering and a ciphertext moved to another context', () => {
    const box = new SecretBox(newKey);
    const sealed = box.seal('token', 'a');
    expect(() => box.open(sealed, 'b')).toThrow();
    const parts = sealed.split(':');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'), 'a')).toThrow();
  });

  it('opens secrets sealed with a previous key after rotation, and says they need re-sealing', () => {
    const sealedWithOld = new SecretBox(oldKey).seal('refresh-token');
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(sealedWithOld)).toBe('refresh-token');
    expect(rotated.needsRotation(sealedWithOld)).toBe(true);
    expect(rotated.needsRotation(rotated.seal('x'))).toBe(false);
    expect(() => new SecretBox(newKey).open(sealedWithOld)).toThrow(/unknown key/);
  });

  it('generates a development key once into the data directory, and refuses production without one', () => {
    const dataDir = tempDir('lfh-key-');
    const first = loadEncryptionKey({ dataDir, production: false });
    expect(first.generatedAt).toBe(join(dataDir, 'encryption.key'));
    expect(Buffer.from(readFileSync(first.generatedAt!, 'utf8').trim(), 'base64').equals(first.key)).toBe(true);
    const second = loadEncryptionKey({ dataDir, production: false });
    expect(second.generatedAt).toBeUndefined();
    expect(second.key.equals(first.key)).toBe(true);
    expect(() => loadEncryptionKey({ dataDir, production: true })).toThrow(/ENCRYPTION_KEY/);
  });
});
