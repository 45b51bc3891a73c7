// The health check's progress and error, and the button that runs it again. It runs once when the page
// opens. Only admins may start one: for other users the page shows the last check without asking again.
import { useEffect, useRef } from 'react';
import { Alert, Flex, LoadingButton } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import type { HealthCheckRunner } from '../hooks/useHealthCheck.ts';
import { useSettings } from '../hooks/settings-context.ts';
import { OperationProgress } from './OperationProgress.tsx';

const NOT_AN_ADMIN = new Set(['admin_required', 'forbidden', 'reinstall_required']);

export function HealthCheck({ runner }: { runner: HealthCheckRunner }) {
  const { t } = useSettings();
  const { check, checking, start } = runner;
  const started = useRef(false);

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
