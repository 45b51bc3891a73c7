// POST /line/webhook/:webhookKey: LINE's webhook deliveries for one connected account, answered as a fast
// route (http/fast-routes.ts), before Express: verify, check the body's shape, store the delivery (one row,
// its events unpacked by a worker), answer 200. Nothing else happens here.
import type { AppContext } from '../context.ts';
import { badRequest, notFound, unauthorized } from '../http/errors.ts';
import type { FastRoute } from '../http/fast-routes.ts';
import { isValidLineSignature } from '../line/webhook-signature.ts';
import { WebhookEventStore } from './event-store.ts';
import { WebhookAccountCache } from './webhook-accounts.ts';
import { checkWebhookBody } from './webhook-body.ts';

/** LINE reads only the status. */
const ACCEPTED = { status: 200, json: '{}' };

export function lineWebhookRoute(ctx: AppContext): FastRoute {
  const accounts = new WebhookAccountCache(ctx);
  const store = new WebhookEventStore(ctx);
  return {
    method: 'POST',
    prefix: '/line/webhook/',
    pattern: '/line/webhook/:webhookKey',
    async handle({ rest: key, headers, raw, text, body, log }) {
      if (key.length === 0 || key.length > 64 || key.includes('/')) throw notFound('Unknown webhook URL');
      const signature = headers['x-line-signature'];
      const signed = typeof signature === 'string' ? signature : undefined;
      let account = await accounts.get(key);
      if (account && !isValidLineSignature(raw, account.channelSecret, signed)) account = await accounts.get(key, { fresh: true });
      if (!account) throw notFound('Unknown webhook URL');
      if (!isValidLineSignature(raw, account.channelSecret, signed)) {
        log().warn({ accountId: account.id }, 'rejected LINE webhook with an invalid signature');
        throw unauthorized('Invalid x-line-signature');
      }
      const checked = checkWebhookBody(body);
      if ('problems' in checked) throw badRequest('Not a LINE webhook body', checked.problems);
      const events = checked.body.events.length;
      // LINE's webhook check sends no event: nothing to store. The delivery is stored as its JSON text.
      if (events) await store.store(account, text);
      if (ctx.logger.isLevelEnabled('info')) log().info({ accountId: account.id, events }, 'LINE webhook accepted');
      return ACCEPTED;
    },
  };
}
