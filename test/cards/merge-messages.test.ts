// How the chat panel merges history pages, long-poll answers and send answers: one copy per message, the
// most recently changed, in id order.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/app/cards/api/types.ts';
import { mergeMessages } from '../../src/app/cards/hooks/merge-messages.ts';

const message = (id: number, updatedAt: number, o: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  direction: 'outbound',
  status: 'sent',
  content: { kind: 'text', text: `message ${id}` },
  error: null,
  canRetry: false,
  sender: { kind: 'user', name: 'agent@example.com' },
  createdAt: updatedAt,
  updatedAt,
  sentAt: null,
  readAt: null,
  ...o,
});

describe('merging chat messages', () => {
  it('adds new messages in id order, older pages included', () => {
    const page = [message(10, 100), message(11, 110)];
    const older = [message(3, 30), message(5, 50)];
    const fresh = [message(12, 120)];
    expect(mergeMessages(mergeMessages(page, older), fresh).map((m) => m.id)).toEqual([3, 5, 10, 11, 12]);
  });

  it('keeps one copy of a message seen twice: the one changed last, or the incoming one when both changed at once', () => {
    const sending = message(20, 200, { status: 'sending' });
    const sent = message(20, 250, { status: 'sent', sentAt: 250 });
    expect(mergeMessages([sending], [sent])).toEqual([sent]);
    // A long-poll answer older than the send answer already shown does not bring the old state back.
    expect(mergeMessages([sent], [sending])).toEqual([sent]);
    const read = message(20, 250, { status: 'sent', readAt: 250 });
    expect(mergeMessages([sent], [read])).toEqual([read]);
  });

  it('leaves the current list as it is when nothing arrives', () => {
    const current = [message(2, 20), message(1, 10)];
    expect(mergeMessages(current, [])).toBe(current);
  });
});
