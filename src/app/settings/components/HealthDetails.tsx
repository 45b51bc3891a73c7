// What the health line sums up, item by item: token, webhook, last event, messages left, the jobs in words,
// and which contact properties the account writes.
import { DescriptionList, DescriptionListItem, Flex, Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { AccountWithHealth } from '../types.ts';
import { AccountJobs } from './AccountJobs.tsx';

export function HealthDetails({ account, onChanged }: { account: AccountWithHealth; onChanged(): Promise<void> }) {
  const { t, locale } = useSettings();
  const { health } = account;
  const quota = health.quota;

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
      <AccountJobs account={account} onChanged={onChanged} />
      <Text variant="microcopy">{t.propertiesNote(account.userIdProperty)}</Text>
    </Flex>
  );
}
