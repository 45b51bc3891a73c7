// The health check of a portal's accounts: each account's token and monthly quota asked of LINE, a few
// accounts at a time, as one operation the settings page polls. Its outcome stays on the operation and is
// what the account list shows until the next check.
import type { AppContext } from '../context.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { liveHealth, type LiveHealth } from './account-health.ts';
import { findRunningOperation, latestFinishedHealthCheck, type AccountOperation } from './operations.ts';
import { listAccounts } from './repository.ts';
import { startOperation } from './run-operation.ts';

const ACCOUNTS_CHECKED_AT_ONCE = 5;
/** Beyond the LINE deadlines: database work and scheduling on a loaded machine. */
const BUDGET_MARGIN_MS = 5_000;

export type KnownHealth = { [K in keyof LiveHealth]: LiveHealth[K] | null } & { checkedAt: number | null };

interface HealthCheckResult {
  accounts: Record<string, LiveHealth>;
}

/** Starts a check of every account of the portal, or answers the one already running. */
export async function startHealthCheck(ctx: AppContext, portalId: number): Promise<AccountOperation> {
  const running = await findRunningOperation(ctx, portalId, 'health_check', null);
  if (running) return running;
  const accounts = await listAccounts(ctx, portalId);
  const rounds = Math.ceil(accounts.length / ACCOUNTS_CHECKED_AT_ONCE);
  const budgetMs = rounds * ctx.config.timings.line.healthCheckTimeoutMs + BUDGET_MARGIN_MS;
  const operation = { portalId, lineAccountId: null, kind: 'health_check', step: 'checking_accounts', total: accounts.length, budgetMs } as const;
  return startOperation(ctx, operation, async (progress) => {
    let done = 0;
    const checked = await mapWithConcurrency(accounts, ACCOUNTS_CHECKED_AT_ONCE, async (account) => {
      const health = await liveHealth(ctx.config, account.channelAccessToken);
      await progress.report({ done: ++done });
      return [String(account.id), health] as const;
    });
    const result: HealthCheckResult = { accounts: Object.fromEntries(checked) };
    return { result };
  });
}

/** What the portal's last finished check found, by account id. */
export async function lastKnownHealth(ctx: AppContext, portalId: number): Promise<Map<number, KnownHealth>> {
  const check = await latestFinishedHealthCheck(ctx, portalId);
  const found = new Map<number, KnownHealth>();
  if (!check) return found;
  for (const [id, health] of Object.entries((check.result as HealthCheckResult).accounts)) found.set(Number(id), { ...health, checkedAt: check.updatedAt });
  return found;
}
