// Message content served as api-data.line.me does: binary downloads, previews, and the
// transcoding status of video/audio that is still being prepared (202 until ready).
import { Router } from 'express';
import type { Response } from 'express';
import { channelOf } from './auth.ts';
import { sendBinary, sendEmpty, sendJson, sendLineError } from './http.ts';
import { TINY_PNG } from './media.ts';
import type { LineState, StoredContent } from './state.ts';

export function contentRoutes(state: LineState): Router {
  const r = Router();

  function find(res: Response, messageId: string): StoredContent | undefined {
    const content = state.contents.get(messageId);
    if (!content || (content.channelId && content.channelId !== channelOf(res).channelId)) {
      sendLineError(res, 404, 'Not found');
      return undefined;
    }
    return content;
  }

  r.get('/v2/bot/message/:messageId/content', (req, res) => {
    const content = find(res, req.params.messageId);
    if (!content) return;
    if (content.transcodingLeft > 0) {
      content.transcodingLeft -= 1;
      return sendEmpty(res, 202);
    }
    sendBinary(res, content.bytes, content.contentType);
  });

  r.get('/v2/bot/message/:messageId/content/preview', (req, res) => {
    const content = find(res, req.params.messageId);
    if (!content) return;
    if (content.transcodingLeft > 0) return sendEmpty(res, 202);
    if (content.contentType.startsWith('image/')) return sendBinary(res, content.bytes, content.contentType);
    sendBinary(res, TINY_PNG, 'image/png');
  });

  r.get('/v2/bot/message/:messageId/content/transcoding', (req, res) => {
    const content = find(res, req.params.messageId);
    if (!content) return;
    // Polling the status also moves preparation along, so a client that waits for "succeeded" terminates.
    const status = content.transcodingLeft > 0 ? 'processing' : 'succeeded';
    if (content.transcodingLeft > 0) content.transcodingLeft -= 1;
    sendJson(res, 200, { status });
  });

  return r;
}
