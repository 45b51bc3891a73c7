// Adding an account: the three values from the LINE Developers Console, checked with LINE on save. The check
// and LINE's webhook test run as an operation whose progress shows while it runs.
import { useState } from 'react';
import { Alert, Button, Flex, Heading, Input, LoadingButton, Tile } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useOperation } from '../hooks/useOperation.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account, Operation } from '../types.ts';
import { OperationProgress } from './OperationProgress.tsx';
import { WebhookOutcome } from './WebhookOutcome.tsx';

const EMPTY = { channelId: '', channelSecret: '', channelAccessToken: '' };

export function AddAccountForm({ startOpen, onAdded }: { startOpen: boolean; onAdded(): Promise<void> }) {
  const { t, client, notify } = useSettings();
  const [open, setOpen] = useState(startOpen);
  const [values, setValues] = useState(EMPTY);
  const [showMissing, setShowMissing] = useState(false);
  const [added, setAdded] = useState<Account | null>(null);
  const save = useAction();
  const connecting = useOperation();

  const set = (field: keyof typeof EMPTY) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const missing = (field: keyof typeof EMPTY) => showMissing && !values[field].trim();

  async function connect() {
    if (Object.values(values).some((v) => !v.trim())) return setShowMissing(true);
    await save.run(async () => {
      const operation = await connecting.run(() => client.request<{ operation: Operation }>('POST', '/api/accounts', values));
      const { account } = await client.request<{ account: Account }>('GET', `/api/accounts/${operation.accountId}`);
      setAdded(account);
      setValues(EMPTY);
      setShowMissing(false);
      setOpen(false);
      notify(t.connected(account.displayName));
      await onAdded();
    });
  }

  const result = added ? (
    <Alert title={t.connected(added.displayName)} variant="success" testId="add-account-result">
      <WebhookOutcome account={added} testId="add-account-webhook-outcome" />
    </Alert>
  ) : null;

  if (!open) {
    return (
      <Flex direction="column" gap="sm">
        {result}
        <Button variant="primary" onClick={() => setOpen(true)} testId="add-account-open">
          {t.addAccount}
        </Button>
      </Flex>
    );
  }
  return (
    <Tile testId="add-account-form">
      <Flex direction="column" gap="sm">
        <Heading>{t.addTitle}</Heading>
        {result}
        <Input name="channelId" label={t.channelId} description={t.channelIdHelp} value={values.channelId} onChange={set('channelId')}
          required error={missing('channelId')} validationMessage={missing('channelId') ? t.fieldRequired : undefined} testId="add-channel-id" />
        <Input name="channelSecret" type="password" label={t.channelSecret} description={t.channelSecretHelp} value={values.channelSecret}
          onChange={set('channelSecret')} required error={missing('channelSecret')} validationMessage={missing('channelSecret') ? t.fieldRequired : undefined}
          testId="add-channel-secret" />
        <Input name="channelAccessToken" type="password" label={t.accessToken} description={t.accessTokenHelp} value={values.channelAccessToken}
          onChange={set('channelAccessToken')} required error={missing('channelAccessToken')}
          validationMessage={missing('channelAccessToken') ? t.fieldRequired : undefined} testId="add-access-token" />
        {save.error ? <Alert title={errorText(t, save.error)} variant="danger" testId="add-account-error" /> : null}
        <OperationProgress operation={connecting.current} testId="add-account-progress" />
        <Flex direction="row" gap="sm">
          <LoadingButton variant="primary" loading={save.pending} onClick={() => void connect()} testId="add-account-submit">
            {save.pending ? t.checking : t.connect}
          </LoadingButton>
          {startOpen ? null : (
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={save.pending} testId="add-account-cancel">
              {t.cancel}
            </Button>
          )}
        </Flex>
      </Flex>
    </Tile>
  );
}
