// The card's data: one entry per connected LINE account (linked user, follow status, unanswered state).
import { useCallback, useEffect, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus, ContactLineStatus } from '../api/types.ts';

export type LineStatusState =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; accounts: AccountStatus[] };

export function useLineStatus(client: BackendClient, contactId: number) {
  const [status, setStatus] = useState<LineStatusState>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    client
      .get<ContactLineStatus>(`/api/contacts/${contactId}/line`)
      .then((body) => current && setStatus({ state: 'ready', accounts: body.accounts }))
      .catch((error: Error) => current && setStatus({ state: 'error', message: error.message }));
    return () => {
      current = false;
    };
  }, [client, contactId, generation]);

  const reload = useCallback(() => {
    setStatus({ state: 'loading' });
    setGeneration((g) => g + 1);
  }, []);

  /** Replaces one account's entry (after linking) without reloading the others. */
  const replaceAccount = useCallback((entry: AccountStatus) => {
    setStatus((s) => (s.state === 'ready' ? { state: 'ready', accounts: s.accounts.map((a) => (a.account.id === entry.account.id ? entry : a)) } : s));
  }, []);

  return { status, reload, replaceAccount };
}
