// GET /line/login/:loginKey/qr.png: the QR code of an account's LINE Login URL, to print or show in a shop.
// Public (an <Image> cannot send credentials) and cacheable: the URL it encodes never changes for a key.
import { Router } from 'express';
import QRCode from 'qrcode';
import type { AppContext } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { isAccountKey } from './account-keys.ts';
import { loginUrls } from './account-urls.ts';
import { loginKeyExists } from './repository.ts';

export function loginQrRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/line/login/:loginKey/qr.png', async (req, res) => {
    const { loginKey } = req.params;
    if (!isAccountKey(loginKey) || !(await loginKeyExists(ctx, loginKey))) throw notFound('No such LINE login link');
    const png = await QRCode.toBuffer(loginUrls(ctx.config, loginKey).loginUrl, { type: 'png', width: 512, margin: 2, errorCorrectionLevel: 'M' });
    res.set({ 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' });
    res.send(png);
  });
  return router;
}
