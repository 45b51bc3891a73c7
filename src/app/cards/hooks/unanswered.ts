// Which of the customer's messages still wait for an answer: those after the rep's last reply that went out
// (or is going out). A failed reply answers nothing, and a message the customer took back asks nothing.
// The loaded page is enough: the last reply is either on it, or older than everything on it.
import type { ChatMessage } from '../api/types.ts';

export function unansweredMessages(messages: ChatMessage[]): ChatMessage[] {
  let lastReply = -1;
  messages.forEach((m, index) => {
    if (m.direction === 'outbound' && (m.status === 'sent' || m.status === 'sending')) lastReply = index;
  });
  return messages.slice(lastReply + 1).filter((m) => m.direction === 'inbound' && m.status !== 'unsent');
}
