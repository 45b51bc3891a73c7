// Linking the contact to a LINE user ID the agent already knows.
import { useCallback, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus } from '../api/types.ts';

export const LINE_USER_ID = /^U[0-9a-f]{32}$/;

export function useLinkContact(client: BackendClient, contactId: number, accountId: number, onLinked: (entry: AccountStatus) => void) {
  const [linking, setLinking] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const link = useCallback(
    async (lineUserId: string) => {
      setLinking(true);
      setError(null);
      try {
        onLinked(await client.post<AccountStatus>(`/api/contacts/${contactId}/line/${accountId}/link`, { lineUserId }));
      } catch (e) {
        setError(e);
      } finally {
        setLinking(false);
      }
    },
    [client, contactId, accountId, onLinked],
  );

  return { link, linking, error };
}
