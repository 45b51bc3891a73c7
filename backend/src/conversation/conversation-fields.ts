// What a conversation's state holds and how it moves, the same for a contact's 1:1 chat (table
// conversations, conversation-state.ts) and a company's LINE group (table group_conversations, in the groups
// feature): whether someone waits for an answer and since when, the last message each way, the owner's task
// and the timeline note. Each table keeps its own repository; the columns and the rules are these.

export interface ConversationFields {
  unanswered: boolean;
  unansweredSince: number | null;
  unansweredMessage: string | null;
  unansweredMessageId: number | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  openTaskId: string | null;
  taskToCompleteId: string | null;
  noteId: string | null;
  noteSessionStartedAt: number | null;
  noteSessionLastAt: number | null;
  /** hs_timestamp of an owner task created without a known answer (see lost-creates.ts). */
  taskCreateMarker: number | null;
  /** hs_timestamp (the session start) of a session note created without a known answer. */
  noteCreateMarker: number | null;
}

export interface ConversationChanges {
  unanswered?: boolean;
  unanswered_since?: number | null;
  unanswered_message?: string | null;
  unanswered_message_id?: number | null;
  last_inbound_at?: number | null;
  last_outbound_at?: number | null;
  open_task_id?: string | null;
  task_to_complete_id?: string | null;
  note_id?: string | null;
  note_session_started_at?: number | null;
  note_session_last_at?: number | null;
  task_create_marker?: number | null;
  note_create_marker?: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The fields of a stored row; a conversation without a row yet has none set. */
export function conversationFieldsOf(row: Record<string, unknown> | undefined): ConversationFields {
  return {
    unanswered: Boolean(row?.unanswered),
    unansweredSince: num(row?.unanswered_since),
    unansweredMessage: str(row?.unanswered_message),
    unansweredMessageId: num(row?.unanswered_message_id),
    lastInboundAt: num(row?.last_inbound_at),
    lastOutboundAt: num(row?.last_outbound_at),
    openTaskId: str(row?.open_task_id),
    taskToCompleteId: str(row?.task_to_complete_id),
    noteId: str(row?.note_id),
    noteSessionStartedAt: num(row?.note_session_started_at),
    noteSessionLastAt: num(row?.note_session_last_at),
    taskCreateMarker: num(row?.task_create_marker),
    noteCreateMarker: num(row?.note_create_marker),
  };
}

/** Someone wrote: the conversation waits for an answer, unless the account answered after this message. */
export function changesOnInbound(state: ConversationFields, message: { id: number; at: number; summary: string }): ConversationChanges {
  const changes: ConversationChanges = {};
  if (state.lastInboundAt === null || message.at >= state.lastInboundAt) changes.last_inbound_at = message.at;
  if (!(state.lastOutboundAt !== null && state.lastOutboundAt > message.at)) {
    changes.unanswered = true;
    changes.unanswered_since = state.unanswered ? state.unansweredSince : message.at;
    changes.unanswered_message = message.summary;
    changes.unanswered_message_id = message.id;
  }
  return changes;
}

/** The account answered: the flag clears and the owner's open task is due to be completed. */
export function changesOnAnswer(state: ConversationFields, at: number): ConversationChanges {
  const changes: ConversationChanges = {};
  if (state.lastOutboundAt === null || at >= state.lastOutboundAt) changes.last_outbound_at = at;
  if (state.unanswered && (state.lastInboundAt === null || at >= state.lastInboundAt)) {
    Object.assign(changes, { unanswered: false, unanswered_since: null, unanswered_message: null, unanswered_message_id: null });
    if (state.openTaskId) Object.assign(changes, { task_to_complete_id: state.openTaskId, open_task_id: null });
  }
  return changes;
}
