// What the health line sums up, item by item: token, webhook, last event, messages left, failed jobs (with
// retry), and which contact properties the account writes.
import { Alert, DescriptionList, DescriptionListItem, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { AccountWithHealth } from '../types.ts';

export function HealthDetails({ account, onChanged }: { account: AccountWithHealth; onChanged(): Promise<void> }) {
  const { t, locale, client, notify } = useSettings();
  const retry = useAction();
  const { health } = account;
  const quota = health.quota;

  async function retryFailed() {
    await retry.run(async () => {
      const { retried } = await client.request<{ retried: number }>('POST', `/api/accounts/${account.id}/retry-failed`);
      notify(t.retried(retried));
      await onChanged();
    });
  }

  return (
    <Flex direction="column" gap="sm">
      <DescriptionList direction="row">
        <DescriptionListItem label={t.accessTokenState}>
          <Text testId={`health-token-${account.id}`}>{health.tokenValid === null ? t.healthNotChecked : health.tokenValid ? t.tokenValid : t.tokenInvalid}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.webhookState}>
          <Text testId={`health-webhook-${account.id}`}>{account.webhook.verifiedAt ? t.webhookVerified : t.webhookNotVerified}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.lastEvent}>
          <Text testId={`health-last-event-${account.id}`}>{account.lastEventAt ? new Date(account.lastEventAt).toLocaleString(locale) : t.never}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.messagesLeft}>
          <Text testId={`health-quota-${account.id}`}>
            {!quota ? (health.checkedAt ? t.quotaUnknown : t.healthNotChecked) : quota.limit === null ? t.unlimited : t.quotaLeft(quota.remaining ?? 0, quota.limit)}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.failedJobs}>
          <Text testId={`health-failed-jobs-${account.id}`}>{health.failedJobs.count ? String(health.failedJobs.count) : t.noFailedJobs}</Text>
        </DescriptionListItem>
      </DescriptionList>
      {health.checkedAt ? (
        <Text variant="microcopy" testId={`health-checked-at-${account.id}`}>{t.healthCheckedAt(new Date(health.checkedAt).toLocaleString(locale))}</Text>
      ) : null}
      {health.failedJobs.count > 0 ? (
        <Flex direction="column" gap="xs">
          {health.failedJobs.recent.map((job) => (
            <Text key={job.id} variant="microcopy">{`${job.type}: ${job.lastError ?? ''}`}</Text>
          ))}
          <LoadingButton loading={retry.pending} onClick={() => void retryFailed()} testId={`retry-failed-${account.id}`}>
            {t.retryFailed}
          </LoadingButton>
        </Flex>
      ) : null}
      {retry.error ? <Alert title={errorText(t, retry.error)} variant="danger" /> : null}
      <Text variant="microcopy">{t.propertiesNote(account.userIdProperty)}</Text>
    </Flex>
  );
}
