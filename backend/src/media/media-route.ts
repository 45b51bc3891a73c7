// GET /media/:token: the media of one message (1:1 or of a group) of one portal, for a valid unexpired token (media-url.ts).
// Anyone holding the URL may load it (an Image cannot send credentials), so the token is the permission
// and names the portal and the message; nothing else is looked up. Inbound content is served from storage;
// an image the account sent is a redirect to where it lives (sent-image.ts).
import { Router, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { findMediaMessage } from './media-messages.ts';
import { storedContent } from './media-store.ts';
import { checkMediaToken } from './media-url.ts';
import { sentImageUrl } from './sent-image.ts';

function cacheUntil(res: Response, expiresAt: number): void {
  res.setHeader('Cache-Control', `private, max-age=${Math.max(0, Math.floor((expiresAt - Date.now()) / 1000))}`);
}

export function mediaRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/media/:token', async (req, res) => {
    const check = checkMediaToken(ctx, req.params.token);
    if (!check.ok) {
      if (check.reason === 'expired') throw new HttpError(403, 'expired', 'This media link has expired');
      throw notFound('No such media');
    }
    const message = await findMediaMessage(ctx, check.source, check.portalId, check.messageId);
    if (!message || message.status === 'unsent') throw notFound('No such media');
    if (message.direction === 'outbound') {
      const location = sentImageUrl(message);
      if (!location) throw notFound('No such media');
      cacheUntil(res, check.expiresAt);
      res.redirect(302, location);
      return;
    }
    const content = await storedContent(ctx, check.portalId, check.messageId, check.source);
    if (!content) throw notFound('No such media');
    const { bytes } = content;
    res.setHeader('Content-Type', content.contentType);
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    cacheUntil(res, check.expiresAt);
    if (message.type === 'file') {
      const fileName = String(JSON.parse(message.payload).fileName ?? 'file');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    }
    res.status(200).end(bytes);
  });
  return router;
}
