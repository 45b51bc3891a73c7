// media.fetch { messageId, source }: downloads an inbound message's content (of a 1:1 message, or of a group
// member's message: LINE serves both by message id) from LINE's content API and stores it. Video/audio still being prepared (transcoding status, or a 202), 429 and 5xx are retried with backoff; content that
// is gone, too large or not of the message's type is recorded as unavailable. The job's portal (every
// enqueue sets it) scopes the lookups of its message and account.
import type { Readable } from 'node:stream';
import type { AppContext } from '../context.ts';
import { findAccount } from '../accounts/repository.ts';
import { LineApiError, lineChannel } from '../line/line-channel.ts';
import { RetryJobError } from '../jobs/job-errors.ts';
import { z } from 'zod';
import { defineJob } from '../jobs/define-job.ts';
import { bareContentType, contentTypeFits, MAX_MEDIA_BYTES } from './content-types.ts';
import { findMediaMessage } from './media-messages.ts';
import { markMediaUnavailable, mediaRecorded, saveMedia } from './media-store.ts';

const PREPARED_TYPES = new Set(['video', 'audio']);

class TooLarge extends Error {}

async function readCapped(body: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > cap) {
      body.destroy();
      throw new TooLarge(`content is larger than ${cap} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export const fetchMediaJob = defineJob({
  type: 'media.fetch',
  payload: z.object({ messageId: z.number().int().positive(), source: z.enum(['chat', 'group']).default('chat') }),
  async run(ctx: AppContext, job) {
    const { messageId, source } = job.payload;
    const portalId = job.portalId;
    if (portalId === null) return;
    const message = await findMediaMessage(ctx, source, portalId, messageId);
    if (!message || message.direction !== 'inbound' || message.status === 'unsent') return;
    if (await mediaRecorded(ctx, portalId, messageId, source)) return;
    const account = await findAccount(ctx, portalId, message.line_account_id);
    if (!account) return;
    const line = lineChannel(ctx.config, account.channelAccessToken);
    const lineMessageId = String(message.line_message_id);
    let response;
    try {
      // Video and audio may still be in preparation: ask first, as LINE's API reference describes.
      if (PREPARED_TYPES.has(String(message.type))) {
        const { status } = await line.call('content transcoding', (c) => c.blob.getMessageContentTranscodingByMessageId(lineMessageId));
        if (status === 'failed') {
          await markMediaUnavailable(ctx, { messageId, portalId, source, error: 'LINE failed to prepare this content' });
          return;
        }
        if (status !== 'succeeded') throw new RetryJobError('LINE is still preparing this content');
      }
      response = await line.call('content', (c) => c.blob.getMessageContentWithHttpInfo(lineMessageId));
    } catch (error) {
      if (error instanceof LineApiError && (error.isNotFound || error.status === 410)) {
        await markMediaUnavailable(ctx, { messageId, portalId, source, error: `LINE no longer has this content (${error.status})` });
        return;
      }
      throw error;
    }
    // Content requested before it is ready answers 202 without a body.
    if (response.httpResponse.status === 202) {
      response.body.destroy();
      throw new RetryJobError('LINE is still preparing this content (202)');
    }
    const contentType = bareContentType(response.httpResponse.headers.get('content-type'));
    if (!contentTypeFits(String(message.type), contentType)) {
      response.body.destroy();
      await markMediaUnavailable(ctx, { messageId, portalId, source, error: `content type ${contentType} does not fit a ${message.type} message` });
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readCapped(response.body, MAX_MEDIA_BYTES);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      await markMediaUnavailable(ctx, { messageId, portalId, source, error: error.message });
      return;
    }
    // The user may have unsent the message while it downloaded: then nothing is kept.
    const current = await findMediaMessage(ctx, source, portalId, messageId);
    if (!current || current.status === 'unsent') return;
    await saveMedia(ctx, { messageId, portalId, contentType, bytes, source });
  },
});
