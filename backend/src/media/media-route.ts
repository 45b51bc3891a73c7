// GET /media/:token: the stored content of an inbound media message (1:1 or group), for a valid unexpired token.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { findMediaMessage } from './media-messages.ts';
import { storedContent } from './media-store.ts';
import { checkMediaToken } from './media-url.ts';

export function mediaRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/media/:token', async (req, res) => {
    const check = checkMediaToken(ctx, req.params.token);
    if (!check.ok) {
      if (check.reason === 'expired') throw new HttpError(403, 'expired', 'This media link has expired');
      throw notFound('No such media');
    }
    const content = await storedContent(ctx, check.messageId, check.source);
    const message = content && (await findMediaMessage(ctx, check.source, content.portalId, check.messageId));
    if (!content || !message || message.status === 'unsent') throw notFound('No such media');
    const { bytes } = content;
    res.setHeader('Content-Type', content.contentType);
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', `private, max-age=${Math.max(0, Math.floor((check.expiresAt - Date.now()) / 1000))}`);
    if (message.type === 'file') {
      const fileName = String(JSON.parse(message.payload).fileName ?? 'file');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    }
    res.status(200).end(bytes);
  });
  return router;
}
