// The open chat (a contact's 1:1 chat, or a company's LINE group): loads the newest page, pages back on
// demand, marks the customer's messages read when asked (the rep answering: see markRead), and asks for
// updates (new messages, and in a 1:1 chat the user's friendship: a block closes the composer) while the panel is open. The backend holds a few panels' requests per portal until something
// changes (hubspot.fetch allows 20 requests in flight per portal); the others it answers at once with the
// wait before the next question (nextPollMs), so new messages appear within a second or two either way.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { ChatMessage, FollowStatus, HistoryPage, UpdatesAnswer } from '../api/types.ts';
import { mergeMessages } from './merge-messages.ts';

export const PAGE_SIZE = 30;
/** The backend answers at once when something changed, else after this wait (inside hubspot.fetch's 15 s). */
export const LONG_POLL_WAIT_MS = 10_000;
const RECONNECT_DELAY_MS = 2_000;
/** An empty held answer faster than this means the server is not waiting: slow down rather than spin. */
const MIN_EMPTY_POLL_MS = 2_000;

export type ConversationPhase = 'idle' | 'loading' | 'ready' | 'error';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pages and updates of a conversation whose messages are `M` (a group's carry their member); a group's updates carry no friendship. */
type Page<M> = Omit<HistoryPage, 'messages'> & { messages: M[] };
type ConversationUpdates<M> = Omit<UpdatesAnswer, 'messages' | 'followStatus'> & { messages: M[]; followStatus?: FollowStatus };

/** `base`: the conversation's messages path, e.g. /api/contacts/1/messages; `cardFollowStatus` only for a 1:1 chat. */
export function useConversation<M extends ChatMessage = ChatMessage>(client: BackendClient, base: string, accountId: number, open: boolean, cardFollowStatus?: FollowStatus) {
  const [messages, setMessages] = useState<M[]>([]);
  const [followStatus, setFollowStatus] = useState(cardFollowStatus);
  /** The friendship shown, for the long-poll: the backend answers at once when it changes. */
  const shownFollowStatus = useRef(cardFollowStatus);
  const [phase, setPhase] = useState<ConversationPhase>('idle');
  const [error, setError] = useState<unknown>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [live, setLive] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const oldestId = useRef<number | null>(null);

  /** The newest customer message already marked read (or asked to be): each is marked once. */
  const markedUpTo = useRef(0);
  const latestMessages = useRef(messages);
  latestMessages.current = messages;

  /**
   * Shows the customer their messages were read. Not on opening the panel: in Japan an unanswered 既読
   * reads as being ignored, so only once the rep answers (starts typing or sends).
   */
  const markRead = useCallback(() => {
    const unread = latestMessages.current.filter((m) => m.direction === 'inbound' && m.readAt === null && m.id > markedUpTo.current);
    if (unread.length === 0) return;
    markedUpTo.current = Math.max(...unread.map((m) => m.id));
    // Read marks are a courtesy to the customer: a failure here must not disturb the agent.
    client.post(`${base}/read`, { accountId }).catch(() => undefined);
  }, [client, base, accountId]);

  useEffect(() => {
    if (!open) return;
    let active = true;
    (async () => {
      setPhase('loading');
      setError(null);
      let page: Page<M>;
      try {
        page = await client.get<Page<M>>(base, { accountId, limit: PAGE_SIZE });
      } catch (e) {
        if (active) {
          setPhase('error');
          setError(e);
        }
        return;
      }
      if (!active) return;
      setMessages(page.messages);
      setHasMore(page.hasMore);
      oldestId.current = page.cursor.before;
      setPhase('ready');
      let { after, since } = page.cursor;
      while (active) {
        const asked = Date.now();
        try {
          const answer = await client.get<ConversationUpdates<M>>(`${base}/updates`, { accountId, after, since, waitMs: LONG_POLL_WAIT_MS, followStatus: shownFollowStatus.current });
          if (!active) break;
          setLive(true);
          if (answer.followStatus) {
            shownFollowStatus.current = answer.followStatus;
            setFollowStatus(answer.followStatus);
          }
          ({ after, since } = answer.cursor);
          if (answer.messages.length > 0) setMessages((current) => mergeMessages(current, answer.messages));
          const waitMs = answer.nextPollMs > 0 ? answer.nextPollMs : answer.messages.length === 0 ? MIN_EMPTY_POLL_MS : 0;
          const elapsed = Date.now() - asked;
          if (elapsed < waitMs) await pause(waitMs - elapsed);
        } catch {
          if (!active) break;
          setLive(false);
          await pause(RECONNECT_DELAY_MS);
        }
      }
    })();
    return () => {
      active = false;
    };
  }, [client, base, accountId, open, attempt]);

  const loadOlder = useCallback(async () => {
    if (oldestId.current === null) return;
    setLoadingOlder(true);
    try {
      const page = await client.get<Page<M>>(base, { accountId, before: oldestId.current, limit: PAGE_SIZE });
      setMessages((current) => mergeMessages(current, page.messages));
      setHasMore(page.hasMore);
      if (page.cursor.before !== null) oldestId.current = page.cursor.before;
    } catch (e) {
      setError(e);
    } finally {
      setLoadingOlder(false);
    }
  }, [client, base, accountId]);

  /** Puts a message the agent just sent (or retried) in place without waiting for the long-poll. */
  const applyMessage = useCallback((message: M) => setMessages((current) => mergeMessages(current, [message])), []);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);

  return { messages, phase, error, hasMore, loadingOlder, live, followStatus, loadOlder, applyMessage, reload, markRead };
}
