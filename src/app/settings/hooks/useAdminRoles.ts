// The portal's HubSpot roles and which of them may change these settings: loading, loaded or failed.
import { useCallback, useEffect, useState } from 'react';
import type { AdminRoles } from '../types.ts';
import type { BackendClient } from '../api/backend-client.ts';
import type { Loadable } from '../api/loadable.ts';

export function useAdminRoles(client: BackendClient): { state: Loadable<AdminRoles>; replace(value: AdminRoles): void } {
  const [state, setState] = useState<Loadable<AdminRoles>>({ status: 'loading' });
  useEffect(() => {
    client.request<AdminRoles>('GET', '/api/portal/admin-roles').then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => setState({ status: 'error', error }),
    );
  }, [client]);
  const replace = useCallback((value: AdminRoles) => setState({ status: 'ready', value }), []);
  return { state, replace };
}
