// An account's health in one line: "Healthy", or what is wrong, most urgent first.
import { Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import { problemsOf, type Problem } from '../account-attention.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Messages } from '../i18n.ts';
import type { AccountWithHealth } from '../types.ts';

function problemText(t: Messages, locale: string, problem: Problem, account: AccountWithHealth): string {
  switch (problem) {
    case 'token_broken':
      return t.problemTokenBroken;
    case 'hubspot_authorization':
      return t.problemHubSpotAuthorization;
    case 'jobs_paused':
      return t.problemJobsPaused(new Date(account.health.paused?.until ?? 0).toLocaleString(locale));
    case 'webhook_not_verified':
      return t.problemWebhookNotVerified;
    case 'failed_jobs':
      return t.problemFailedJobs(account.health.failedJobs.count);
    case 'quota_used_up':
      return t.problemQuotaUsedUp;
  }
}

export function HealthLine({ account }: { account: AccountWithHealth }) {
  const { t, locale } = useSettings();
  const problems = problemsOf(account);
  const notChecked = account.health.checkedAt === null;
  const variant = problems.includes('token_broken') || problems.includes('hubspot_authorization') ? 'danger' : problems.length ? 'warning' : notChecked ? 'default' : 'success';
  const label = problems.length ? t.needsAttention : notChecked ? t.healthNotChecked : t.healthy;
  const detail = problems.length ? problems.map((p) => problemText(t, locale, p, account)).join(' · ') : notChecked ? t.healthNotCheckedDetail : t.healthyDetail;
  return (
    <Flex direction="row" gap="sm" align="center" testId={`health-line-${account.id}`}>
      <StatusTag variant={variant} testId={`health-status-${account.id}`}>{label}</StatusTag>
      <Text testId={`health-detail-${account.id}`}>{detail}</Text>
    </Flex>
  );
}
