// GET /line/login/:loginKey/qr.png is public: it must work without opening any of the account's secrets.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, type World } from './world.ts';

describe('the public login QR code', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('sqlite');
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('is served for a known login key and 404 otherwise, without decrypting a secret', async () => {
    const { account } = await w.connect(w.portalA, w.newChannel().form);
    const qrCodeUrl: string = account.login.qrCodeUrl;
    const open = vi.spyOn(w.backend.ctx.secrets, 'open');
    try {
      const qr = await fetch(qrCodeUrl);
      expect(qr.status).toBe(200);
      expect(qr.headers.get('content-type')).toBe('image/png');
      expect((await qr.arrayBuffer()).byteLength).toBeGreaterThan(100);
      const unknown = await fetch(qrCodeUrl.replace(/[^/]{32}\/qr\.png$/, `${'A'.repeat(32)}/qr.png`));
      expect(unknown.status).toBe(404);
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });
});
