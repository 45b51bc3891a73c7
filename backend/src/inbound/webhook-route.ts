// POST /line/webhook/:webhookKey: LINE's webhook deliveries for one connected account.
// Verify, store every event with its job in one transaction, answer 200. Nothing else happens here.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { badRequest, fieldProblems, notFound, unauthorized } from '../http/errors.ts';
import { isValidLineSignature } from '../line/webhook-signature.ts';
import { WebhookEventStore } from './event-store.ts';
import { WebhookAccountCache } from './webhook-accounts.ts';
import { webhookBodySchema } from './webhook-body.ts';

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
    const stored = parsed.data.events.length ? await store.store(account, parsed.data.events) : 0;
    if (ctx.logger.isLevelEnabled('info')) req.log.info({ accountId: account.id, events: parsed.data.events.length, stored }, 'LINE webhook accepted');
    res.status(200).json({});
  });
  return router;
}
