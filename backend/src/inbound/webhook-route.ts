// POST /line/webhook/:webhookKey: LINE's webhook deliveries for one connected account.
// Verify, check the body's shape, store the delivery (one row, its events unpacked by a worker), answer 200.
// Nothing else happens here.
import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { badRequest, fieldProblems, notFound, unauthorized } from '../http/errors.ts';
import { isValidLineSignature } from '../line/webhook-signature.ts';
import { WebhookEventStore } from './event-store.ts';
import { WebhookAccountCache } from './webhook-accounts.ts';
import { webhookBodySchema } from './webhook-body.ts';

/** The delivery as JSON text: the bytes LINE signed when they are UTF-8, as LINE sends them; else the parsed body written back. */
function deliveryText(req: Request): string {
  const charset = /charset=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1].toLowerCase();
  return req.rawBody && (charset === undefined || charset === 'utf-8' || charset === 'utf8') ? req.rawBody.toString('utf8') : JSON.stringify(req.body);
}

export function lineWebhookRoutes(ctx: AppContext): Router {
  const router = Router();
  const accounts = new WebhookAccountCache(ctx);
  const store = new WebhookEventStore(ctx);
  router.post('/line/webhook/:webhookKey', async (req, res) => {
    const key = req.params.webhookKey;
    if (key.length > 64) throw notFound('Unknown webhook URL');
    const signature = req.get('x-line-signature');
    let account = await accounts.get(key);
    if (account && !isValidLineSignature(req.rawBody, account.channelSecret, signature)) account = await accounts.get(key, { fresh: true });
    if (!account) throw notFound('Unknown webhook URL');
    if (!isValidLineSignature(req.rawBody, account.channelSecret, signature)) {
      req.log.warn({ accountId: account.id }, 'rejected LINE webhook with an invalid signature');
      throw unauthorized('Invalid x-line-signature');
    }
    const parsed = webhookBodySchema.safeParse(req.body);
    if (!parsed.success) {
      throw badRequest('Not a LINE webhook body', fieldProblems(parsed.error));
    }
    // LINE's webhook check sends no event: nothing to store.
    if (parsed.data.events.length) await store.store(account, deliveryText(req));
    if (ctx.logger.isLevelEnabled('info')) req.log.info({ accountId: account.id, events: parsed.data.events.length }, 'LINE webhook accepted');
    // LINE reads only the status: the body is written as it is, without res.json's serializing and ETag.
    res.status(200).set('content-type', 'application/json; charset=utf-8').end('{}');
  });
  return router;
}
