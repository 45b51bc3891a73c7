// Where LINE sends this account's events, whether LINE's test reached us, and a way to test again.
import { Alert, DescriptionList, DescriptionListItem, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useOperation } from '../hooks/useOperation.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account, Operation } from '../types.ts';
import { OperationProgress } from './OperationProgress.tsx';
import { WebhookOutcome } from './WebhookOutcome.tsx';

export function WebhookSection({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t, client } = useSettings();
  const test = useAction();
  const testing = useOperation();
  return (
    <Flex direction="column" gap="xs">
      <DescriptionList direction="column">
        <DescriptionListItem label={t.webhookUrl}>
          <Text testId={`webhook-url-${account.id}`}>{account.webhook.url}</Text>
        </DescriptionListItem>
      </DescriptionList>
      <Text variant="microcopy">{t.webhookUrlHelp}</Text>
      <WebhookOutcome account={account} testId={`webhook-outcome-${account.id}`} />
      <OperationProgress operation={testing.current} testId={`webhook-test-progress-${account.id}`} />
      {test.error ? <Alert title={errorText(t, test.error)} variant="danger" /> : null}
      <LoadingButton
        variant="secondary"
        loading={test.pending}
        onClick={() => void test.run(async () => {
          await testing.run(() => client.request<{ operation: Operation }>('POST', `/api/accounts/${account.id}/webhook-test`));
          await onChanged();
        })}
        testId={`webhook-test-again-${account.id}`}
      >
        {test.pending ? t.checking : t.webhookTestAgain}
      </LoadingButton>
    </Flex>
  );
}
