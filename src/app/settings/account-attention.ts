// What on an account needs an admin, most urgent first, and which folded section deals with it: the page
// opens each account on this list (one line), with that section open, instead of on every form at once.
import type { AccountWithHealth } from './types.ts';

export type Problem = 'token_broken' | 'hubspot_authorization' | 'webhook_not_verified' | 'failed_jobs' | 'jobs_paused' | 'quota_used_up';
export type Section = 'health' | 'webhook' | 'options' | 'login' | 'credentials' | 'remove';

const SECTION_OF: Record<Problem, Section> = {
  token_broken: 'credentials',
  hubspot_authorization: 'health',
  webhook_not_verified: 'webhook',
  failed_jobs: 'health',
  jobs_paused: 'health',
  quota_used_up: 'health',
};

export function problemsOf(account: AccountWithHealth): Problem[] {
  const { health } = account;
  const problems: Problem[] = [];
  if (health.tokenValid === false) problems.push('token_broken');
  if (health.failedJobs.retryBlockedBy === 'hubspot_authorization') problems.push('hubspot_authorization');
  if (!account.webhook.verifiedAt) problems.push('webhook_not_verified');
  if (health.failedJobs.count > 0) problems.push('failed_jobs');
  if (health.paused) problems.push('jobs_paused');
  if (health.quota?.remaining === 0) problems.push('quota_used_up');
  return problems;
}

/** The section to open when the account is shown: the one for its most urgent problem, or none. */
export function sectionNeedingAttention(account: AccountWithHealth): Section | null {
  const [first] = problemsOf(account);
  return first ? SECTION_OF[first] : null;
}
