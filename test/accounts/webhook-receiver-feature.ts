// Test-only stand-in for the inbound feature's webhook route, so "LINE's webhook test succeeds" does not
// depend on another feature: it answers 200 only when the body is signed with the channel secret that the
// accounts feature stored for this webhook key (which also proves the secret was stored correctly).
import { Router } from 'express';
import { validateSignature } from '@line/bot-sdk';
import type { Feature } from '../../backend/src/feature.ts';
import { findAccountByWebhookKey } from '../../backend/src/accounts/repository.ts';

export const signedWebhookReceiver: Feature = {
  name: 'test-webhook-receiver',
  routes: (ctx) =>
    Router().post('/line/webhook/:webhookKey', async (req, res) => {
      const account = await findAccountByWebhookKey(ctx, req.params.webhookKey);
      const raw = req.rawBody?.toString('utf8') ?? '';
      const valid = account !== undefined && validateSignature(raw, account.channelSecret, req.get('x-line-signature') ?? '');
      res.status(account ? (valid ? 200 : 401) : 404).json({});
    }),
};
