// The conversation, newest at the bottom, a separator where a new day starts (bubbles show the clock time
// only), older pages on demand and every loading/empty/error state.
import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import type { ChatMessage } from '../api/types.ts';
import type { ConversationPhase } from '../hooks/useConversation.ts';
import type { Translator } from '../i18n/translator.ts';
import { MessageBubble, type MessageAuthor } from './MessageBubble.tsx';

interface Props<M extends ChatMessage> {
  i18n: Translator;
  phase: ConversationPhase;
  error: unknown;
  messages: M[];
  /** Who wrote a message, where the conversation knows more than the bubble (a group's members). */
  authorOf?(message: M): MessageAuthor | null;
  hasMore: boolean;
  loadingOlder: boolean;
  live: boolean;
  retrying: number | null;
  /** Ids of the customer's messages after the last reply. */
  unanswered?: Set<number>;
  onLoadOlder(): void;
  onReload(): void;
  onRetry(id: number): void;
}

export function MessageList<M extends ChatMessage>(p: Props<M>) {
  const { t } = p.i18n;
  if (p.phase === 'idle' || p.phase === 'loading') return <LoadingSpinner label={t.historyLoading} showLabel layout="centered" testId="chat-loading" />;
  if (p.phase === 'error') {
    return (
      <ErrorState title={t.historyError} testId="chat-error">
        <Text>{p.error ? errorText(t, p.error) : ''}</Text>
        <Button onClick={p.onReload}>{t.retry}</Button>
      </ErrorState>
    );
  }
  return (
    <Flex direction="column" gap="sm" testId="chat-messages">
      {p.hasMore ? (
        <Button size="xs" variant="transparent" disabled={p.loadingOlder} onClick={p.onLoadOlder} testId="chat-load-older">
          {p.loadingOlder ? t.loadingOlder : t.olderMessages}
        </Button>
      ) : null}
      {p.messages.length === 0 ? (
        <EmptyState title={t.noMessagesYet} layout="vertical" imageWidth={80} testId="chat-empty">
          <Text>{t.emptyConversation}</Text>
        </EmptyState>
      ) : (
        p.messages.map((m, index) => {
          const day = p.i18n.day(m.createdAt);
          const newDay = index === 0 || p.i18n.day(p.messages[index - 1].createdAt) !== day;
          return (
            <Flex direction="column" gap="sm" key={m.id}>
              {newDay ? (
                <Flex direction="row" justify="center">
                  <Text variant="microcopy" format={{ fontWeight: 'demibold' }} testId={`chat-day-${m.id}`}>
                    {day}
                  </Text>
                </Flex>
              ) : null}
              <MessageBubble message={m} author={p.authorOf?.(m) ?? null} i18n={p.i18n} retrying={p.retrying === m.id} unanswered={p.unanswered?.has(m.id) ?? false} onRetry={p.onRetry} />
            </Flex>
          );
        })
      )}
      {p.live ? null : (
        <Text variant="microcopy" testId="chat-reconnecting">
          {t.connectionLost}
        </Text>
      )}
    </Flex>
  );
}
