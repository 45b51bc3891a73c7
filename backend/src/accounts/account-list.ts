// The accounts of a portal as the settings page lists them: stored state, failed and paused jobs, and what the portal's
// last health check (health-check.ts) learnt from LINE. Answered from the database alone, at once: asking
// LINE about many accounts may take longer than a hubspot.fetch may wait.
import type { AppContext } from '../context.ts';
import { accountFailedJobs, accountPausedJobs, portalJobState } from './account-jobs.ts';
import { accountView, type AccountHealthView, type AccountView } from './account-view.ts';
import { lastKnownHealth } from './health-check.ts';
import { listAccounts, type LineAccount } from './repository.ts';

export type AccountWithHealth = AccountView & { health: AccountHealthView };

export async function accountsWithHealth(ctx: AppContext, portalId: number, only?: LineAccount[]): Promise<AccountWithHealth[]> {
  const accounts = only ?? (await listAccounts(ctx, portalId));
  const [known, portal] = await Promise.all([lastKnownHealth(ctx, portalId), portalJobState(ctx, portalId)]);
  return Promise.all(
    accounts.map(async (account) => {
      const live = known.get(account.id) ?? { tokenValid: null, tokenError: null, quota: null, checkedAt: null };
      const [failedJobs, paused] = await Promise.all([
        accountFailedJobs(ctx, portalId, account.id, portal, live.tokenValid),
        accountPausedJobs(ctx, portalId, account.id, portal),
      ]);
      return { ...accountView(ctx.config, account), health: { ...live, failedJobs, paused } };
    }),
  );
}
