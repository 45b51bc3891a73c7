// The result of LINE's last webhook test, in words.
import { Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account } from '../types.ts';

export function WebhookOutcome({ account, testId }: { account: Account; testId: string }) {
  const { t } = useSettings();
  const test = account.webhook.lastTest;
  if (!test) return null;
  return (
    <Text testId={testId}>
      {test.success ? t.webhookTestOk(test.statusCode) : t.webhookTestFailed(test.reason || test.detail, test.statusCode)}
    </Text>
  );
}
