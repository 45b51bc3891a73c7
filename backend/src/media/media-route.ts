// GET /media/:token: the stored content of an inbound media message, for a valid unexpired token.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { checkMediaToken } from './media-url.ts';

export function mediaRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/media/:token', async (req, res) => {
    const check = checkMediaToken(ctx, req.params.token);
    if (!check.ok) {
      if (check.reason === 'expired') throw new HttpError(403, 'expired', 'This media link has expired');
      throw notFound('No such media');
    }
    const row = await ctx.db('media as m')
      .join('messages as msg', 'msg.id', 'm.message_id')
      .where({ 'm.message_id': check.messageId, 'm.status': 'stored' })
      .whereNot('msg.status', 'unsent')
      .first('m.bytes', 'm.content_type', 'm.size', 'msg.type', 'msg.payload');
    if (!row) throw notFound('No such media');
    const bytes = Buffer.from(row.bytes);
    res.setHeader('Content-Type', String(row.content_type));
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', `private, max-age=${Math.max(0, Math.floor((check.expiresAt - Date.now()) / 1000))}`);
    if (row.type === 'file') {
      const fileName = String(JSON.parse(String(row.payload)).fileName ?? 'file');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    }
    res.status(200).end(bytes);
  });
  return router;
}
