// Adding an account: check the credentials with LINE, refuse a channel that is already connected, store
// it (secrets sealed, fresh keys, next property sequence, properties requested), then point the channel's
// webhook at us and run LINE's webhook test. Nothing is stored unless LINE accepted the credentials.
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { enqueueProvisioning } from '../properties/provision-properties.ts';
import { newAccountKey } from './account-keys.ts';
import { webhookUrl } from './account-urls.ts';
import type { OperationProgress } from './run-operation.ts';
import { ChannelAlreadyConnectedError, findAccountOwnerByChannelId, insertAccount, updateAccount, type LineAccount } from './repository.ts';
import { verifyChannelCredentials, type ChannelCredentials } from './verify-credentials.ts';
import { setAndTestWebhook, type WebhookTestOutcome } from './webhook-setup.ts';

function alreadyConnected(owner: { portalId: number } | undefined, portalId: number) {
  if (owner && owner.portalId === portalId) {
    return new HttpError(409, 'channel_connected_here', 'This LINE channel is already connected to this HubSpot account. Edit the existing account instead of adding it again.');
  }
  return new HttpError(
    409,
    'channel_connected_elsewhere',
    'This LINE channel is already connected to another HubSpot account. A channel sends its webhooks to one place only: remove it there first.',
  );
}

/** Steps reported: checking_credentials (done 0), setting_webhook (1, with the new account's id), testing_webhook (2). */
export async function connectAccount(ctx: AppContext, portalId: number, creds: ChannelCredentials, progress: OperationProgress): Promise<LineAccount> {
  // Credentials first: whether a channel is connected somewhere is told only to whoever holds its secret
  // and token, not to anyone who knows a channel ID. The webhook is touched only after the insert, which
  // the unique channel_id refuses, so the portal that has the channel keeps it either way.
  const bot = await verifyChannelCredentials(ctx.config, creds);
  const owner = await findAccountOwnerByChannelId(ctx, creds.channelId);
  if (owner) throw alreadyConnected(owner, portalId);

  let account: LineAccount;
  try {
    account = await insertAccount(
      ctx,
      { portalId, ...creds, ...bot, webhookKey: newAccountKey(), loginKey: newAccountKey() },
      (trx) => enqueueProvisioning(ctx, portalId, trx),
    );
  } catch (error) {
    // Another request connected the same channel between our check and our insert.
    if (error instanceof ChannelAlreadyConnectedError) throw alreadyConnected(await findAccountOwnerByChannelId(ctx, creds.channelId), portalId);
    throw error;
  }
  await progress.report({ step: 'setting_webhook', done: 1, lineAccountId: account.id });
  const outcome = await setAndTestWebhook(ctx.config, creds.channelAccessToken, webhookUrl(ctx.config, account.webhookKey), () =>
    progress.report({ step: 'testing_webhook', done: 2 }),
  );
  return recordWebhookOutcome(ctx, account, outcome);
}

/**
 * Sets the webhook URL again (someone may have changed it in the console) and re-runs LINE's test.
 * Also used after a secret rotation, since LINE signs its test with the new secret.
 */
export async function retestWebhook(ctx: AppContext, account: LineAccount, progress: OperationProgress, doneBefore: number): Promise<LineAccount> {
  await progress.report({ step: 'setting_webhook', done: doneBefore });
  const outcome = await setAndTestWebhook(ctx.config, account.channelAccessToken, webhookUrl(ctx.config, account.webhookKey), () =>
    progress.report({ step: 'testing_webhook', done: doneBefore + 1 }),
  );
  return recordWebhookOutcome(ctx, account, outcome);
}

async function recordWebhookOutcome(ctx: AppContext, account: LineAccount, outcome: WebhookTestOutcome): Promise<LineAccount> {
  const updated = await updateAccount(ctx, account.portalId, account.id, {
    webhookTestResult: JSON.stringify(outcome),
    // A failed test clears the verification: the page must not say "verified" for a webhook that is not.
    webhookVerifiedAt: outcome.success ? outcome.testedAt : null,
  });
  ctx.logger.info({ portalId: account.portalId, lineAccountId: account.id, webhookOk: outcome.success, statusCode: outcome.statusCode }, 'LINE webhook tested');
  // The account can only be missing here if it was removed meanwhile; answer with what we had.
  return updated ?? account;
}
