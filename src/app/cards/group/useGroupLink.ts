// Linking one of the account's LINE groups to the company, and removing that link; the answer is the
// account's new entry on the card.
import { useCallback, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { GroupAccountStatus } from './types.ts';

export function useGroupLink(client: BackendClient, companyId: number, accountId: number, onChanged: (entry: GroupAccountStatus) => void) {
  const [busy, setBusy] = useState<'linking' | 'unlinking' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = `/api/companies/${companyId}/line/${accountId}`;

  const change = useCallback(
    async (kind: 'linking' | 'unlinking', action: string, body: Record<string, unknown>) => {
      setBusy(kind);
      setError(null);
      try {
        onChanged(await client.post<GroupAccountStatus>(`${path}/${action}`, body));
      } catch (e) {
        setError(e);
      } finally {
        setBusy(null);
      }
    },
    [client, path, onChanged],
  );

  const link = useCallback((groupId: string) => change('linking', 'link', { groupId }), [change]);
  const unlink = useCallback(() => change('unlinking', 'unlink', {}), [change]);
  return { link, unlink, busy, error };
}
