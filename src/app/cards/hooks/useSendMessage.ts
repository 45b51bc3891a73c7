// Sending from the composer, text, a sticker or an attached file (and retrying a failed message): one request at a
// time, the stored message handed back to the conversation, LINE's typing indicator while the agent writes
// (at most every 5 s; LINE shows it in 1:1 chats only, so a group chat has no `typingPath`).
// Each message carries a client message id made once: HubSpot retries a hubspot.fetch after a 5xx or a
// lost connection, and sending the same text, sticker or file again after an error keeps the id, so LINE gets it once.
import { useCallback, useRef, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { ChatMessage } from '../api/types.ts';

export const MAX_TEXT_LENGTH = 5000;
const TYPING_INTERVAL_MS = 5_000;

/** `base`: the conversation's messages path, e.g. /api/contacts/1/messages. */
export function useSendMessage<M extends ChatMessage = ChatMessage>(client: BackendClient, base: string, accountId: number, onMessage: (message: M) => void, typingPath?: string) {
  const [sending, setSending] = useState(false);
  const [retrying, setRetrying] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lastTyping = useRef(0);
  /** The message not yet answered with success: sending the same content again is a retry of it. */
  const unanswered = useRef<{ key: string; clientMessageId: string } | null>(null);

  /** Resolves true when the message was stored (sent, or failed with a retry offered in its bubble). */
  const sendContent = useCallback(
    async (key: string, content: Record<string, unknown>): Promise<boolean> => {
      setSending(true);
      setError(null);
      if (unanswered.current?.key !== key) unanswered.current = { key, clientMessageId: crypto.randomUUID() };
      try {
        const { message } = await client.post<{ message: M }>(base, { accountId, clientMessageId: unanswered.current.clientMessageId, ...content });
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
  const sendSticker = useCallback(
    (packageId: string, stickerId: string) => sendContent(`sticker:${packageId}:${stickerId}`, { sticker: { packageId, stickerId } }),
    [sendContent],
  );
  /** A file the panel's FileUpload put in HubSpot's file manager, by its id. */
  const sendFile = useCallback((fileId: number) => sendContent(`file:${fileId}`, { file: { fileId: String(fileId) } }), [sendContent]);

  const retry = useCallback(
    async (messageId: number) => {
      setRetrying(messageId);
      setError(null);
      try {
        const { message } = await client.post<{ message: M }>(`${base}/${messageId}/retry`, { accountId });
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
    if (!typingPath || now - lastTyping.current < TYPING_INTERVAL_MS) return;
    lastTyping.current = now;
    client.post(typingPath, { accountId }).catch(() => undefined);
  }, [client, typingPath, accountId]);

  return { send, sendSticker, sendFile, retry, typing, sending, retrying, error };
}
