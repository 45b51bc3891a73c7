// Asking LINE about every account's token and quota, as an operation (LINE may take a while for many
// accounts) that reloads the accounts when it ends. Started when the page opens, on demand, and after a
// token or secret was replaced, so the health shown is never older than the credentials.
import { useAction, type Action } from './useAction.ts';
import { useOperation, type OperationRunner } from './useOperation.ts';
import { useSettings } from './settings-context.ts';
import type { Operation } from '../types.ts';

export interface HealthCheckRunner {
  check: Action;
  checking: OperationRunner;
  start(): Promise<boolean>;
}

export function useHealthCheck(onChecked: () => Promise<void>): HealthCheckRunner {
  const { client } = useSettings();
  const check = useAction();
  const checking = useOperation();
  const start = () =>
    check.run(async () => {
      await checking.run(() => client.request<{ operation: Operation }>('POST', '/api/accounts/health-checks', {}));
      await onChecked();
    });
  return { check, checking, start };
}
