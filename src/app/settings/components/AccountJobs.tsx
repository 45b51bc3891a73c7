// The account's jobs in words: what failed (by what it was for) and why, a retry only when it can succeed
// (else why not), and the jobs that wait while HubSpot's daily API limit holds the portal's jobs.
import { Alert, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { AccountWithHealth } from '../types.ts';

export function AccountJobs({ account, onChanged }: { account: AccountWithHealth; onChanged(): Promise<void> }) {
  const { t, locale, client, notify } = useSettings();
  const retry = useAction();
  const { failedJobs, paused } = account.health;
  const id = account.id;

  async function retryFailed() {
    await retry.run(async () => {
      const { retried } = await client.request<{ retried: number }>('POST', `/api/accounts/${id}/retry-failed`);
      notify(t.retried(retried));
      await onChanged();
    });
  }

  return (
    <Flex direction="column" gap="sm">
      {paused ? (
        <Alert title={t.jobsPausedTitle} variant="warning" testId={`jobs-paused-${id}`}>
          {t.pausedDailyLimit(paused.waiting, new Date(paused.until).toLocaleString(locale))}
        </Alert>
      ) : null}
      {failedJobs.groups.map((group) => (
        <Flex key={group.kind} direction="column" gap="flush" testId={`failed-${group.kind}-${id}`}>
          <Text format={{ fontWeight: 'demibold' }}>{t.jobKinds[group.kind](group.count)}</Text>
          <Text variant="microcopy">{t.failureReasons[group.reason]}</Text>
        </Flex>
      ))}
      {failedJobs.count > 0 && failedJobs.retryBlockedBy ? (
        <Text testId={`retry-not-offered-${id}`}>{t.retryNotOffered[failedJobs.retryBlockedBy]}</Text>
      ) : null}
      {failedJobs.count > 0 && !failedJobs.retryBlockedBy ? (
        <LoadingButton loading={retry.pending} onClick={() => void retryFailed()} testId={`retry-failed-${id}`}>
          {t.retryFailed}
        </LoadingButton>
      ) : null}
      {retry.error ? <Alert title={t.retryFailedTitle} variant="danger" testId={`retry-error-${id}`}>{errorText(t, retry.error)}</Alert> : null}
    </Flex>
  );
}
