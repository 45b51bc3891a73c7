// Replacing a reissued channel secret or access token; the backend checks it with LINE before saving, as an
// operation whose progress shows while it runs.
import { useState } from 'react';
import { Alert, Flex, Input, LoadingButton, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useOperation } from '../hooks/useOperation.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account, Operation } from '../types.ts';
import { OperationProgress } from './OperationProgress.tsx';

export function CredentialsForm({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t, client, notify } = useSettings();
  const [secret, setSecret] = useState('');
  const [token, setToken] = useState('');
  const save = useAction();
  const checking = useOperation();
  const changes = { ...(secret.trim() ? { channelSecret: secret } : {}), ...(token.trim() ? { channelAccessToken: token } : {}) };
  return (
    <Flex direction="column" gap="sm">
      {account.channelSecretSet && account.channelAccessTokenSet ? <Text variant="microcopy">{t.secretsSet}</Text> : null}
      <Text variant="microcopy">{t.credentialsHelp}</Text>
      <Input name="newChannelSecret" type="password" label={t.newChannelSecret} value={secret} onChange={setSecret} testId={`rotate-secret-${account.id}`} />
      <Input name="newAccessToken" type="password" label={t.newAccessToken} value={token} onChange={setToken} testId={`rotate-token-${account.id}`} />
      {save.error ? <Alert title={errorText(t, save.error)} variant="danger" testId={`rotate-error-${account.id}`} /> : null}
      <OperationProgress operation={checking.current} testId={`rotate-progress-${account.id}`} />
      <LoadingButton loading={save.pending} disabled={Object.keys(changes).length === 0} testId={`rotate-save-${account.id}`}
        onClick={() => void save.run(async () => {
          await checking.run(() => client.request<{ operation: Operation }>('PATCH', `/api/accounts/${account.id}`, changes));
          setSecret('');
          setToken('');
          notify(t.saved);
          await onChanged();
        })}>
        {save.pending ? t.checking : t.checkAndSave}
      </LoadingButton>
    </Flex>
  );
}
