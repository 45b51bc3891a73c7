// Conversation state per group (group_conversations): the unanswered flag and message, the company owner's
// task, last inbound/outbound dates and the current timeline note. The only code that reads or changes it.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';

export interface GroupConversation {
  /** line_groups.id */
  groupRowId: number;
  portalId: number;
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
  taskCreateMarker: number | null;
  noteCreateMarker: number | null;
}

export interface GroupConversationChanges {
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

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function fromRow(groupRowId: number, portalId: number, row: Row | undefined): GroupConversation {
  return {
    groupRowId,
    portalId,
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

export async function loadGroupConversation(ctx: AppContext, portalId: number, groupRowId: number): Promise<GroupConversation> {
  const row = await ctx.db('group_conversations').where({ portal_id: portalId, line_group_row_id: groupRowId }).first();
  return fromRow(groupRowId, portalId, row);
}

export async function updateGroupConversation(ctx: AppContext, c: Pick<GroupConversation, 'groupRowId' | 'portalId'>, changes: GroupConversationChanges): Promise<void> {
  const now = nowMs();
  await ctx.db('group_conversations')
    .insert({ line_group_row_id: c.groupRowId, portal_id: c.portalId, unanswered: false, ...changes, updated_at: now })
    .onConflict('line_group_row_id')
    .merge({ ...changes, updated_at: now });
}

/** A member wrote: the group waits for an answer (unless the account answered after this message). */
export async function recordGroupInbound(ctx: AppContext, portalId: number, groupRowId: number, message: { id: number; at: number; summary: string }): Promise<void> {
  const state = await loadGroupConversation(ctx, portalId, groupRowId);
  const changes: GroupConversationChanges = {};
  if (state.lastInboundAt === null || message.at >= state.lastInboundAt) changes.last_inbound_at = message.at;
  if (!(state.lastOutboundAt !== null && state.lastOutboundAt > message.at)) {
    changes.unanswered = true;
    changes.unanswered_since = state.unanswered ? state.unansweredSince : message.at;
    changes.unanswered_message = message.summary;
    changes.unanswered_message_id = message.id;
  }
  if (Object.keys(changes).length) await updateGroupConversation(ctx, state, changes);
}

/** The account answered in the group: the flag is cleared and the owner's open task is due to be completed. */
export async function recordGroupAnswer(ctx: AppContext, portalId: number, groupRowId: number, at: number): Promise<void> {
  const state = await loadGroupConversation(ctx, portalId, groupRowId);
  const changes: GroupConversationChanges = {};
  if (state.lastOutboundAt === null || at >= state.lastOutboundAt) changes.last_outbound_at = at;
  if (state.unanswered && (state.lastInboundAt === null || at >= state.lastInboundAt)) {
    Object.assign(changes, { unanswered: false, unanswered_since: null, unanswered_message: null, unanswered_message_id: null });
    if (state.openTaskId) Object.assign(changes, { task_to_complete_id: state.openTaskId, open_task_id: null });
  }
  if (Object.keys(changes).length) await updateGroupConversation(ctx, state, changes);
}

/** The unanswered message was unsent: the property and task show what the members now see. */
export async function replaceGroupUnansweredMessage(ctx: AppContext, portalId: number, messageId: number, summary: string): Promise<void> {
  await ctx.db('group_conversations').where({ portal_id: portalId, unanswered_message_id: messageId }).update({ unanswered_message: summary, updated_at: nowMs() });
}
