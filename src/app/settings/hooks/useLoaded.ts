// Something the page reads from the backend: loading, loaded or failed, and a way to read it again. `read` must
// keep its identity between renders (useCallback), or it would be read on every render.
import { useCallback, useEffect, useState } from 'react';
import type { Loadable } from '../api/loadable.ts';

export function useLoaded<T>(read: (() => Promise<T>) | null): { state: Loadable<T>; reload(): Promise<void> } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const reload = useCallback(async () => {
    if (!read) return;
    try {
      setState({ status: 'ready', value: await read() });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [read]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { state, reload };
}
