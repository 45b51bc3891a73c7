// GET /line/login/:loginKey/qr.png and /qr.svg[?size=][&download=1]: the QR code customers scan to link
// their LINE account, to print or show in a shop. It encodes the LIFF URL when the account has a LIFF
// app, else the login URL. Public (an <Image> cannot send credentials) and briefly cacheable: what it
// encodes changes only when the LIFF ID does.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { isAccountKey } from '../accounts/account-keys.ts';
import { sharedLoginUrl } from '../accounts/account-urls.ts';
import { findLoginLink } from '../accounts/repository.ts';

export const QR_SIZE = { min: 64, max: 2048, default: 512 };

const qrQuery = z.strictObject({
  size: z.coerce.number().int().min(QR_SIZE.min).max(QR_SIZE.max).default(QR_SIZE.default),
  download: z.enum(['1']).optional(),
});

const QR_OPTIONS = { margin: 2, errorCorrectionLevel: 'M' } as const;

/** The QR encoder, loaded on the first QR asked for: 57 modules (qrcode, pngjs) that most processes never use (issue 16). */
let encoder: Promise<typeof import('qrcode')> | undefined;
const qrEncoder = () => (encoder ??= import('qrcode').then((m) => m.default));

function headers(res: Response, contentType: string, download: boolean, extension: string): void {
  res.set({ 'content-type': contentType, 'cache-control': 'public, max-age=300' });
  if (download) res.set('content-disposition', `attachment; filename="line-login-qr.${extension}"`);
}

export function qrRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/line/login/:loginKey/qr.:format', async (req, res) => {
    const { loginKey, format } = req.params;
    if (format !== 'png' && format !== 'svg') throw notFound(`No route for GET ${req.path}`);
    const query = parseOr400(qrQuery, req.query, 'Query');
    const link = isAccountKey(loginKey) ? await findLoginLink(ctx, loginKey) : undefined;
    if (!link) throw notFound('No such LINE login link');
    const url = sharedLoginUrl(ctx.config, link);
    const QRCode = await qrEncoder();
    if (format === 'png') {
      headers(res, 'image/png', query.download === '1', 'png');
      res.send(await QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', width: query.size }));
      return;
    }
    headers(res, 'image/svg+xml', query.download === '1', 'svg');
    res.send(await QRCode.toString(url, { ...QR_OPTIONS, type: 'svg', width: query.size }));
  });
  return router;
}
