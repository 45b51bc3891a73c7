// Sending again, from the card, the chat replies LINE did not take: through the chat's own retry (same
// retry key, so LINE delivers each once), oldest first so the customer reads them in order. A reply that
// fails again stops the rest (they would arrive out of order); the card then asks for its status again.
import { useCallback, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { ChatMessage } from '../api/types.ts';

export function useRetryUndelivered(client: BackendClient, contactId: number, accountId: number, onDone: () => void) {
  const [retrying, setRetrying] = useState(false);
  const [stillFailing, setStillFailing] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const retry = useCallback(
    async (messageIds: number[]) => {
      setRetrying(true);
      setStillFailing(false);
      setError(null);
      try {
        for (const id of messageIds) {
          const answer = await client.post<{ message: ChatMessage }>(`/api/contacts/${contactId}/messages/${id}/retry`, { accountId }).catch((e: unknown) => {
            // Retried meanwhile (in the chat panel, by another agent): the status asked for next shows what is left.
            if ((e as { code?: string }).code === 'not_retryable') return null;
            throw e;
          });
          if (answer?.message.status === 'failed') {
            setStillFailing(true);
            break;
          }
        }
      } catch (e) {
        setError(e);
      } finally {
        setRetrying(false);
        onDone();
      }
    },
    [client, contactId, accountId, onDone],
  );

  return { retry, retrying, stillFailing, error };
}
