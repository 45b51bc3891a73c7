// The account changes that wait on LINE, each started as an operation (run-operation.ts): connecting an
// account, replacing its credentials, and setting up and testing its webhook again.
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import { connectAccount, retestWebhook } from './connect-account.ts';
import { findRunningOperation, type AccountOperation } from './operations.ts';
import type { LineAccount } from './repository.ts';
import type { updateAccountBody } from './request-schemas.ts';
import { startOperation } from './run-operation.ts';
import { editAccount } from './update-account.ts';
import type { ChannelCredentials } from './verify-credentials.ts';
import { webhookSetupBudgetMs } from './webhook-setup.ts';

/** Beyond the LINE deadlines: database work and scheduling on a loaded machine. */
const BUDGET_MARGIN_MS = 5_000;

/** The credential check makes up to three LINE calls, one after another. */
const credentialCheckBudgetMs = (ctx: AppContext) => 3 * ctx.config.timings.line.credentialCheckTimeoutMs;

export function startConnect(ctx: AppContext, portalId: number, creds: ChannelCredentials): Promise<AccountOperation> {
  const budgetMs = credentialCheckBudgetMs(ctx) + webhookSetupBudgetMs(ctx.config) + BUDGET_MARGIN_MS;
  return startOperation(ctx, { portalId, lineAccountId: null, kind: 'connect', step: 'checking_credentials', total: 3, budgetMs }, async (progress) => {
    const account = await connectAccount(ctx, portalId, creds, progress);
    ctx.logger.info({ portalId, lineAccountId: account.id, sequence: account.sequence }, 'LINE account connected');
    return { lineAccountId: account.id };
  });
}

/** A new secret also re-runs LINE's webhook test, which LINE signs with it. */
export function startCredentialsUpdate(ctx: AppContext, account: LineAccount, body: z.infer<typeof updateAccountBody>): Promise<AccountOperation> {
  const retests = body.channelSecret !== undefined;
  const budgetMs = credentialCheckBudgetMs(ctx) + (retests ? webhookSetupBudgetMs(ctx.config) : 0) + BUDGET_MARGIN_MS;
  const operation = { portalId: account.portalId, lineAccountId: account.id, kind: 'update', step: 'checking_credentials', total: retests ? 3 : 1, budgetMs } as const;
  return startOperation(ctx, operation, async (progress) => {
    await editAccount(ctx, account.portalId, account.id, body, progress);
    return {};
  });
}

/** LINE allows 60 webhook tests an hour per channel: a test already running is answered instead of a second one. */
export async function startWebhookTest(ctx: AppContext, account: LineAccount): Promise<AccountOperation> {
  const running = await findRunningOperation(ctx, account.portalId, 'webhook_test', account.id);
  if (running) return running;
  const budgetMs = webhookSetupBudgetMs(ctx.config) + BUDGET_MARGIN_MS;
  const operation = { portalId: account.portalId, lineAccountId: account.id, kind: 'webhook_test', step: 'setting_webhook', total: 2, budgetMs } as const;
  return startOperation(ctx, operation, async (progress) => {
    await retestWebhook(ctx, account, progress, 0);
    return {};
  });
}
