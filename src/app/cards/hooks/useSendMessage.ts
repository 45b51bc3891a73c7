// Sending from the composer, text or an attached file (and retrying a failed message): one request at a time, the stored message
// handed back to the conversation, LINE's typing indicator while the agent writes (at most every 5 s).
// Each message carries a client message id made once: HubSpot retries a hubspot.fetch after a 5xx or a
// lost connection, and sending the same text or file again after an error keeps the id, so LINE gets it once.
import { useCallback, useRef, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { ChatMessage } from '../api/types.ts';

export const MAX_TEXT_LENGTH = 5000;
const TYPING_INTERVAL_MS = 5_000;

export function useSendMessage(client: BackendClient, contactId: number, accountId: number, onMessage: (message: ChatMessage) => void) {
  const [sending, setSending] = useState(false);
  const [retrying, setRetrying] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lastTyping = useRef(0);
  /** The message not yet answered with success: sending the same content again is a retry of it. */
  const unanswered = useRef<{ key: string; clientMessageId: string } | null>(null);
  const base = `/api/contacts/${contactId}/messages`;

  /** Resolves true when the message was stored (sent, or failed with a retry offered in its bubble). */
  const sendContent = useCallback(
    async (key: string, content: Record<string, unknown>): Promise<boolean> => {
      setSending(true);
      setError(null);
      if (unanswered.current?.key !== key) unanswered.current = { key, clientMessageId: crypto.randomUUID() };
      try {
        const { message } = await client.post<{ message: ChatMessage }>(base, { accountId, clientMessageId: unanswered.current.clientMessageId, ...content });
        unanswered.current = null;
        onMessage(message);
        return true;
      } catch (e) {
        setError(e);
        return false;
      } finally {
        setSending(false);
      }
    },
    [client, base, accountId, onMessage],
  );
  const send = useCallback((text: string) => sendContent(`text:${text}`, { text }), [sendContent]);
  /** A file the panel's FileUpload put in HubSpot's file manager, by its id. */
  const sendFile = useCallback((fileId: number) => sendContent(`file:${fileId}`, { file: { fileId: String(fileId) } }), [sendContent]);

  const retry = useCallback(
    async (messageId: number) => {
      setRetrying(messageId);
      setError(null);
      try {
        const { message } = await client.post<{ message: ChatMessage }>(`${base}/${messageId}/retry`, { accountId });
        onMessage(message);
      } catch (e) {
        setError(e);
      } finally {
        setRetrying(null);
      }
    },
    [client, base, accountId, onMessage],
  );

  const typing = useCallback(() => {
    const now = Date.now();
    if (now - lastTyping.current < TYPING_INTERVAL_MS) return;
    lastTyping.current = now;
    client.post(`/api/contacts/${contactId}/typing`, { accountId }).catch(() => undefined);
  }, [client, contactId, accountId]);

  return { send, sendFile, retry, typing, sending, retrying, error };
}
