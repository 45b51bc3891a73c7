// Removing an account: what goes and what stays, confirmed in a modal whose one primary action removes it;
// the result is reported once the account is gone (the tile, and this modal with it, disappear).
import { Button, LoadingButton, Modal, ModalBody, ModalFooter, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account } from '../types.ts';

export function RemoveAccount({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t } = useSettings();
  return (
    <Button variant="destructive" overlay={<RemoveAccountModal account={account} onChanged={onChanged} />} testId={`remove-account-${account.id}`}>
      {t.remove}
    </Button>
  );
}

function RemoveAccountModal({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t, client, notify, closeOverlay } = useSettings();
  const remove = useAction();
  const id = `remove-account-modal-${account.id}`;
  return (
    <Modal id={id} title={t.removeTitle(account.displayName)} variant="danger" testId={id}>
      <ModalBody>
        <Text>{t.removeConsequences}</Text>
        {remove.error ? <Text testId={`remove-error-${account.id}`}>{errorText(t, remove.error)}</Text> : null}
      </ModalBody>
      <ModalFooter>
        <Button variant="secondary" onClick={() => closeOverlay(id)} disabled={remove.pending} testId={`remove-account-cancel-${account.id}`}>
          {t.cancel}
        </Button>
        <LoadingButton variant="destructive" loading={remove.pending} testId={`remove-account-yes-${account.id}`}
          onClick={() => void remove.run(async () => {
            const { removed } = await client.request<{ removed: { displayName: string; jobs: number } }>('DELETE', `/api/accounts/${account.id}`);
            closeOverlay(id);
            notify(t.removedReport(removed.displayName, removed.jobs));
            await onChanged();
          })}>
          {t.removeYes}
        </LoadingButton>
      </ModalFooter>
    </Modal>
  );
}
