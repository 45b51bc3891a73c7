// The accounts of a portal as the settings page lists them: stored state plus live health from LINE
// (asked for several accounts at once, but never more than a few calls in flight per page load).
import type { AppContext } from '../context.ts';
import { accountFailedJobs } from './account-jobs.ts';
import { liveHealth, mapWithConcurrency } from './account-health.ts';
import { accountView, type AccountHealthView, type AccountView } from './account-view.ts';
import { listAccounts, type LineAccount } from './repository.ts';

const ACCOUNTS_CHECKED_AT_ONCE = 5;
const RECENT_FAILED_JOBS_SHOWN = 5;

export type AccountWithHealth = AccountView & { health: AccountHealthView };

export async function accountsWithHealth(ctx: AppContext, portalId: number, only?: LineAccount[]): Promise<AccountWithHealth[]> {
  const accounts = only ?? (await listAccounts(ctx, portalId));
  return mapWithConcurrency(accounts, ACCOUNTS_CHECKED_AT_ONCE, async (account) => {
    const [live, failedJobs] = await Promise.all([
      liveHealth(ctx.config, account.channelAccessToken),
      accountFailedJobs(ctx, portalId, account.id, RECENT_FAILED_JOBS_SHOWN),
    ]);
    return { ...accountView(ctx.config, account), health: { ...live, failedJobs } };
  });
}
