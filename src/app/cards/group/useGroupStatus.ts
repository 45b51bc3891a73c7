// The company card's data: one entry per connected LINE account (the linked group, or the groups to pick from).
import { useCallback, useEffect, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { Loadable } from '../api/loadable.ts';
import type { CompanyLineStatus, GroupAccountStatus } from './types.ts';

export function useGroupStatus(client: BackendClient, companyId: number) {
  const [state, setState] = useState<Loadable<GroupAccountStatus[]>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    client
      .get<CompanyLineStatus>(`/api/companies/${companyId}/line`)
      .then((body) => current && setState({ status: 'ready', value: body.accounts }))
      .catch((error: unknown) => current && setState({ status: 'error', error }));
    return () => {
      current = false;
    };
  }, [client, companyId, generation]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((g) => g + 1);
  }, []);

  /** Replaces one account's entry (after linking or unlinking) without reloading the others. */
  const replaceAccount = useCallback((entry: GroupAccountStatus) => {
    setState((s) => (s.status === 'ready' ? { status: 'ready', value: s.value.map((a) => (a.account.id === entry.account.id ? entry : a)) } : s));
  }, []);

  return { state, reload, replaceAccount };
}
