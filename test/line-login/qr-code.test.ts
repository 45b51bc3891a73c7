// The login QR code: PNG and SVG, a bounded size, a download form, and what it encodes (the LIFF URL
// once the account has a LIFF app). Public, so it must work without opening any of the account's secrets.
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoginWorld, type LoginWorld } from './login-world.ts';

describe('the login QR code', () => {
  let w: LoginWorld;
  beforeAll(async () => {
    w = await startLoginWorld();
    await w.configure();
  });
  afterAll(async () => {
    await w?.close();
  });

  const svgOf = (url: string, size = 512) => QRCode.toString(url, { type: 'svg', width: size, margin: 2, errorCorrectionLevel: 'M' });

  it('is a PNG and an SVG of the login URL, sized as asked within bounds, without decrypting a secret', async () => {
    const open = vi.spyOn(w.backend.ctx.secrets, 'open');
    try {
      const png = await fetch(w.urls.qrCodeUrl);
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      const pngBytes = Buffer.from(await png.arrayBuffer());
      expect(pngBytes.readUInt32BE(16)).toBe(512);
      const small = Buffer.from(await (await fetch(`${w.urls.qrCodeUrl}?size=128`)).arrayBuffer());
      expect(small.readUInt32BE(16)).toBe(128);

      const svg = await fetch(`${w.urls.qrCodeSvgUrl}?size=256`);
      expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(await svg.text()).toBe(await svgOf(w.urls.loginUrl, 256));
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });

  it('refuses sizes out of bounds and unknown formats, and is offered as a download on request', async () => {
    for (const size of ['63', '2049', 'abc', '100.5']) {
      const res = await fetch(`${w.urls.qrCodeUrl}?size=${size}`);
      expect(res.status, size).toBe(400);
      expect((await res.json()).error.fields[0].path).toBe('size');
    }
    expect((await fetch(w.urls.qrCodeUrl.replace(/png$/, 'gif'))).status).toBe(404);
    expect((await fetch(`${w.backend.url}/line/login/${'A'.repeat(32)}/qr.svg`)).status).toBe(404);
    const download = await fetch(`${w.urls.qrCodeSvgUrl}?download=1`);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="line-login-qr.svg"');
  });

  it('points at the LIFF URL once the account has a LIFF app', async () => {
    await w.configure({ liffId: w.liffId });
    const svg = await (await fetch(w.urls.qrCodeSvgUrl)).text();
    expect(svg).toBe(await svgOf(`https://liff.line.me/${w.liffId}`));
    expect(svg).not.toBe(await svgOf(w.urls.loginUrl));
  });
});
