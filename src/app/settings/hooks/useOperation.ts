// Something that waits on LINE, run the way the backend offers it: the request answers 202 with an operation
// at once, and the page polls it (each poll a short hubspot.fetch) until it ends, showing its progress.
// A failed operation throws the error the request would have answered had it waited, so errorText explains it.
import { useCallback, useState } from 'react';
import { BackendError } from '../api/backend-client.ts';
import type { Operation } from '../types.ts';
import { useSettings } from './settings-context.ts';

export interface OperationRunner {
  /** The running operation's latest state, for the progress indicator; null when none runs. */
  current: Operation | null;
  run(start: () => Promise<{ operation: Operation }>): Promise<Operation>;
}

export function useOperation(): OperationRunner {
  const { client, pollIntervalMs } = useSettings();
  const [current, setCurrent] = useState<Operation | null>(null);
  const run = useCallback(
    async (start: () => Promise<{ operation: Operation }>) => {
      let { operation } = await start();
      try {
        while (operation.state === 'running') {
          setCurrent(operation);
          await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
          ({ operation } = await client.request<{ operation: Operation }>('GET', `/api/accounts/operations/${operation.id}`));
        }
      } finally {
        setCurrent(null);
      }
      if (operation.state === 'failed' && operation.error) {
        throw new BackendError(operation.error.status, operation.error.code, operation.error.message);
      }
      return operation;
    },
    [client, pollIntervalMs],
  );
  return { current, run };
}
