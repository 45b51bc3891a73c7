// Asks LINE about every account's token and quota: once when the page opens, and again on demand. It runs
// as an operation (LINE may take a while for many accounts) whose progress shows; the list reloads after.
// Only admins may start one: for other users the page shows the last check without asking again.
import { useEffect, useRef } from 'react';
import { Alert, Flex, LoadingButton } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useOperation } from '../hooks/useOperation.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Operation } from '../types.ts';
import { OperationProgress } from './OperationProgress.tsx';

const NOT_AN_ADMIN = new Set(['admin_required', 'forbidden', 'reinstall_required']);

export function HealthCheck({ onChecked }: { onChecked(): Promise<void> }) {
  const { t, client } = useSettings();
  const check = useAction();
  const checking = useOperation();
  const started = useRef(false);

  const start = () =>
    check.run(async () => {
      await checking.run(() => client.request<{ operation: Operation }>('POST', '/api/accounts/health-checks', {}));
      await onChecked();
    });

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start();
  });

  const error = check.error as { code?: string } | null;
  const shownError = error && !NOT_AN_ADMIN.has(error.code ?? '') ? error : null;
  return (
    <Flex direction="column" gap="xs">
      <OperationProgress operation={checking.current} testId="health-check-progress" />
      {shownError ? <Alert title={errorText(t, shownError)} variant="danger" testId="health-check-error" /> : null}
      <LoadingButton variant="secondary" loading={check.pending} onClick={() => void start()} testId="health-check-now">
        {t.checkHealthNow}
      </LoadingButton>
    </Flex>
  );
}
