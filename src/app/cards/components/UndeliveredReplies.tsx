// Replies the agent sent from the chat that LINE did not take: how many, and one action to send them again.
// Test ids end with the account's id: a contact linked on several accounts shows one of these per account.
import { Button, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import { errorText } from '../api/loadable.ts';
import type { AccountStatus } from '../api/types.ts';
import { useRetryUndelivered } from '../hooks/useRetryUndelivered.ts';
import type { Translator } from '../i18n/translator.ts';

interface Props {
  client: BackendClient;
  contactId: number;
  accountId: number;
  undelivered: NonNullable<AccountStatus['undelivered']>;
  i18n: Translator;
  onRetried(): void;
}

export function UndeliveredReplies({ client, contactId, accountId, undelivered, i18n, onRetried }: Props) {
  const { t } = i18n;
  const { retry, retrying, stillFailing, error } = useRetryUndelivered(client, contactId, accountId, onRetried);
  const problem = stillFailing ? t.stillUndelivered : error ? errorText(t, error) : null;
  return (
    <Flex direction="column" gap="xs" testId={`line-undelivered-${accountId}`}>
      <Flex direction="row" gap="sm" align="center" wrap>
        <StatusTag variant="danger" testId={`line-undelivered-count-${accountId}`}>
          {t.undeliveredReplies(undelivered.messageIds.length)}
        </StatusTag>
        <Button variant="secondary" disabled={retrying} onClick={() => retry(undelivered.messageIds)} testId={`line-undelivered-retry-${accountId}`}>
          {retrying ? t.resending : t.retrySend}
        </Button>
      </Flex>
      <Text variant="microcopy" testId={`line-undelivered-at-${accountId}`}>
        {t.undeliveredAt(i18n.ago(undelivered.lastFailedAt), i18n.at(undelivered.lastFailedAt))}
      </Text>
      {problem ? (
        <Text variant="microcopy" testId={`line-undelivered-problem-${accountId}`}>
          {problem}
        </Text>
      ) : null}
    </Flex>
  );
}
