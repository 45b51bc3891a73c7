// The card's data: one entry per connected LINE account (linked user, follow status, unanswered state).
import { useCallback, useEffect, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { Loadable } from '../api/loadable.ts';
import type { AccountStatus, ContactLineStatus } from '../api/types.ts';

export function useLineStatus(client: BackendClient, contactId: number) {
  const [state, setState] = useState<Loadable<AccountStatus[]>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    client
      .get<ContactLineStatus>(`/api/contacts/${contactId}/line`)
      .then((body) => current && setState({ status: 'ready', value: body.accounts }))
      .catch((error: unknown) => current && setState({ status: 'error', error }));
    return () => {
      current = false;
    };
  }, [client, contactId, generation]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((g) => g + 1);
  }, []);

  /** Replaces one account's entry (after linking) without reloading the others. */
  const replaceAccount = useCallback((entry: AccountStatus) => {
    setState((s) => (s.status === 'ready' ? { status: 'ready', value: s.value.map((a) => (a.account.id === entry.account.id ? entry : a)) } : s));
  }, []);

  return { state, reload, replaceAccount };
}
