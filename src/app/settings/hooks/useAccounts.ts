// The connected accounts with their health: loading, loaded or failed, and a way to load them again.
import { useCallback, useEffect, useState } from 'react';
import type { AccountWithHealth } from '../types.ts';
import type { BackendClient } from '../api/backend-client.ts';
import type { Loadable } from '../api/loadable.ts';

export function useAccounts(client: BackendClient | null): { state: Loadable<AccountWithHealth[]>; reload(): Promise<void> } {
  const [state, setState] = useState<Loadable<AccountWithHealth[]>>({ status: 'loading' });
  const reload = useCallback(async () => {
    if (!client) return;
    try {
      const { accounts } = await client.request<{ accounts: AccountWithHealth[] }>('GET', '/api/accounts');
      setState({ status: 'ready', value: accounts });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [client]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { state, reload };
}
