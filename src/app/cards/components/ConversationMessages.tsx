// The open conversation's messages wired to its hooks (history, live updates, retries): the same in the
// contact's 1:1 panel and the company's group panel.
import type { ChatMessage } from '../api/types.ts';
import type { useConversation } from '../hooks/useConversation.ts';
import type { useSendMessage } from '../hooks/useSendMessage.ts';
import type { Translator } from '../i18n/translator.ts';
import type { MessageAuthor } from './MessageBubble.tsx';
import { MessageList } from './MessageList.tsx';

interface Props<M extends ChatMessage> {
  i18n: Translator;
  conversation: ReturnType<typeof useConversation<M>>;
  sender: Pick<ReturnType<typeof useSendMessage<M>>, 'retrying' | 'retry'>;
  authorOf?(message: M): MessageAuthor | null;
  /** Ids of the customer's messages still waiting for a reply (1:1 chats). */
  unanswered?: Set<number>;
}

export function ConversationMessages<M extends ChatMessage>({ i18n, conversation, sender, authorOf, unanswered }: Props<M>) {
  return (
    <MessageList
      i18n={i18n}
      phase={conversation.phase}
      error={conversation.error}
      messages={conversation.messages}
      authorOf={authorOf}
      hasMore={conversation.hasMore}
      loadingOlder={conversation.loadingOlder}
      live={conversation.live}
      retrying={sender.retrying}
      unanswered={unanswered}
      onLoadOlder={conversation.loadOlder}
      onReload={conversation.reload}
      onRetry={sender.retry}
    />
  );
}
