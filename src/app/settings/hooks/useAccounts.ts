// The connected accounts with their health: loading, loaded or failed, and a way to load them again.
import { useMemo } from 'react';
import type { AccountWithHealth } from '../types.ts';
import type { BackendClient } from '../api/backend-client.ts';
import { useLoaded } from './useLoaded.ts';

export function useAccounts(client: BackendClient | null) {
  const read = useMemo(() => (client ? async () => (await client.request<{ accounts: AccountWithHealth[] }>('GET', '/api/accounts')).accounts : null), [client]);
  return useLoaded(read);
}
