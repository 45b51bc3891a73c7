// Turning LINE Login off: what stops working and what stays, confirmed in a modal whose one primary action
// turns it off; the result is reported after.
import { Button, LoadingButton, Modal, ModalBody, ModalFooter, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account } from '../types.ts';

export function LoginOffModal({ account, onTurnedOff }: { account: Account; onTurnedOff(): Promise<void> }) {
  const { t, client, notify, closeOverlay } = useSettings();
  const clear = useAction();
  const id = `login-off-modal-${account.id}`;
  return (
    <Modal id={id} title={t.loginOffTitle(account.displayName)} variant="danger" testId={id}>
      <ModalBody>
        <Text>{t.loginOffConsequences}</Text>
        {clear.error ? <Text testId={`login-off-error-${account.id}`}>{errorText(t, clear.error)}</Text> : null}
      </ModalBody>
      <ModalFooter>
        <Button variant="secondary" onClick={() => closeOverlay(id)} disabled={clear.pending} testId={`login-off-cancel-${account.id}`}>
          {t.cancel}
        </Button>
        <LoadingButton variant="destructive" loading={clear.pending} testId={`login-off-yes-${account.id}`}
          onClick={() => void clear.run(async () => {
            await client.request('DELETE', `/api/accounts/${account.id}/login`);
            closeOverlay(id);
            notify(t.loginOffReport(account.displayName));
            await onTurnedOff();
          })}>
          {t.loginOffYes}
        </LoadingButton>
      </ModalFooter>
    </Modal>
  );
}
