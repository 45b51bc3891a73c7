// One user action against the backend (save, remove, retry): whether it is running, and its error to show.
import { useCallback, useState } from 'react';

export interface Action {
  pending: boolean;
  error: unknown;
  /** Runs `work` unless already running; resolves true when it succeeded. */
  run(work: () => Promise<unknown>): Promise<boolean>;
  clearError(): void;
}

export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (work: () => Promise<unknown>) => {
      if (pending) return false;
      setPending(true);
      setError(null);
      try {
        await work();
        return true;
      } catch (e) {
        setError(e);
        return false;
      } finally {
        setPending(false);
      }
    },
    [pending],
  );
  return { pending, error, run, clearError: useCallback(() => setError(null), []) };
}
