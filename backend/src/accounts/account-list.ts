// The accounts of a portal as the settings page lists them: stored state, failed jobs, and what the portal's
// last health check (health-check.ts) learnt from LINE. Answered from the database alone, at once: asking
// LINE about many accounts may take longer than a hubspot.fetch may wait.
import type { AppContext } from '../context.ts';
import { accountFailedJobs } from './account-jobs.ts';
import { accountView, type AccountHealthView, type AccountView } from './account-view.ts';
import { lastKnownHealth } from './health-check.ts';
import { listAccounts, type LineAccount } from './repository.ts';

const RECENT_FAILED_JOBS_SHOWN = 5;

export type AccountWithHealth = AccountView & { health: AccountHealthView };

export async function accountsWithHealth(ctx: AppContext, portalId: number, only?: LineAccount[]): Promise<AccountWithHealth[]> {
  const accounts = only ?? (await listAccounts(ctx, portalId));
  const known = await lastKnownHealth(ctx, portalId);
  return Promise.all(
    accounts.map(async (account) => {
      const failedJobs = await accountFailedJobs(ctx, portalId, account.id, RECENT_FAILED_JOBS_SHOWN);
      const live = known.get(account.id) ?? { tokenValid: null, tokenError: null, quota: null, checkedAt: null };
      return { ...accountView(ctx.config, account), health: { ...live, failedJobs } };
    }),
  );
}
