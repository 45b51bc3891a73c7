// Removing an account, only after the admin confirmed what goes with it.
import { useState } from 'react';
import { Alert, Button, Flex, LoadingButton } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account } from '../types.ts';

export function RemoveAccount({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t, client, notify } = useSettings();
  const [confirming, setConfirming] = useState(false);
  const remove = useAction();
  if (!confirming) {
    return (
      <Button variant="destructive" onClick={() => setConfirming(true)} testId={`remove-account-${account.id}`}>
        {t.remove}
      </Button>
    );
  }
  return (
    <Alert title={t.removeConfirm(account.displayName)} variant="danger" testId={`remove-confirm-${account.id}`}>
      {remove.error ? errorText(t, remove.error) : null}
      <Flex direction="row" gap="sm">
        <LoadingButton variant="destructive" loading={remove.pending} testId={`remove-account-yes-${account.id}`}
          onClick={() => void remove.run(async () => {
            await client.request('DELETE', `/api/accounts/${account.id}`);
            notify(t.removed(account.displayName));
            await onChanged();
          })}>
          {t.removeYes}
        </LoadingButton>
        <Button variant="secondary" onClick={() => setConfirming(false)} disabled={remove.pending} testId={`remove-account-cancel-${account.id}`}>
          {t.cancel}
        </Button>
      </Flex>
    </Alert>
  );
}
