// The waiting-for-an-answer rules that a contact's 1:1 conversation and a company's LINE group share
// (backend/src/conversation/conversation-fields.ts): what a message in and an answer out change.
import { describe, expect, it } from 'vitest';
import { changesOnAnswer, changesOnInbound, conversationFieldsOf } from '../../backend/src/conversation/conversation-fields.ts';

const fresh = conversationFieldsOf(undefined);
const waiting = { ...fresh, unanswered: true, unansweredSince: 100, unansweredMessage: 'first', unansweredMessageId: 1, lastInboundAt: 100, openTaskId: '77' };

describe('conversation fields', () => {
  it('reads a stored row, numbers and ids included, and a missing row as a conversation where nothing happened', () => {
    expect(fresh).toMatchObject({ unanswered: false, unansweredSince: null, lastInboundAt: null, openTaskId: null });
    expect(conversationFieldsOf({ unanswered: 1, unanswered_since: '5', open_task_id: 42, note_create_marker: null })).toMatchObject({ unanswered: true, unansweredSince: 5, openTaskId: '42', noteCreateMarker: null });
  });

  it('a message makes the conversation wait, keeping when the waiting began', () => {
    expect(changesOnInbound(fresh, { id: 1, at: 100, summary: 'first' })).toEqual({ last_inbound_at: 100, unanswered: true, unanswered_since: 100, unanswered_message: 'first', unanswered_message_id: 1 });
    expect(changesOnInbound(waiting, { id: 2, at: 200, summary: 'second' })).toEqual({ last_inbound_at: 200, unanswered: true, unanswered_since: 100, unanswered_message: 'second', unanswered_message_id: 2 });
  });

  it('a message older than the last answer changes nothing but, when newest, the last inbound date', () => {
    expect(changesOnInbound({ ...fresh, lastOutboundAt: 300, lastInboundAt: 250 }, { id: 3, at: 200, summary: 'late' })).toEqual({});
  });

  it('an answer clears the waiting and hands the open task over to be completed; an answer older than the last message does not', () => {
    expect(changesOnAnswer(waiting, 150)).toEqual({ last_outbound_at: 150, unanswered: false, unanswered_since: null, unanswered_message: null, unanswered_message_id: null, task_to_complete_id: '77', open_task_id: null });
    expect(changesOnAnswer(waiting, 50)).toEqual({ last_outbound_at: 50 });
    expect(changesOnAnswer({ ...waiting, lastOutboundAt: 400 }, 50)).toEqual({});
  });
});
