// Conversation state per link (table conversations): unanswered flag and message, the owner's task,
// last inbound/outbound dates and the current timeline note. Inbound processing and the chat feature
// change it only through these functions.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';

export interface ConversationState {
  linkId: number;
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
  /** hs_timestamp of an owner task created without a known answer (see lost-creates.ts). */
  taskCreateMarker: number | null;
  /** hs_timestamp (the session start) of a session note created without a known answer. */
  noteCreateMarker: number | null;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function fromRow(row: Row): ConversationState {
  return {
    linkId: Number(row.link_id),
    portalId: Number(row.portal_id),
    unanswered: Boolean(row.unanswered),
    unansweredSince: num(row.unanswered_since),
    unansweredMessage: (row.unanswered_message as string | null) ?? null,
    unansweredMessageId: num(row.unanswered_message_id),
    lastInboundAt: num(row.last_inbound_at),
    lastOutboundAt: num(row.last_outbound_at),
    openTaskId: (row.open_task_id as string | null) ?? null,
    taskToCompleteId: (row.task_to_complete_id as string | null) ?? null,
    noteId: (row.note_id as string | null) ?? null,
    noteSessionStartedAt: num(row.note_session_started_at),
    noteSessionLastAt: num(row.note_session_last_at),
    taskCreateMarker: num(row.task_create_marker),
    noteCreateMarker: num(row.note_create_marker),
  };
}

export function emptyConversation(linkId: number, portalId: number): ConversationState {
  return fromRow({ link_id: linkId, portal_id: portalId, unanswered: false });
}

export async function loadConversations(ctx: AppContext, portalId: number, linkIds: number[]): Promise<Map<number, ConversationState>> {
  const out = new Map<number, ConversationState>();
  for (let i = 0; i < linkIds.length; i += 500) {
    const rows = await ctx.db('conversations').where({ portal_id: portalId }).whereIn('link_id', linkIds.slice(i, i + 500));
    for (const row of rows) out.set(Number(row.link_id), fromRow(row));
  }
  for (const id of linkIds) if (!out.has(id)) out.set(id, emptyConversation(id, portalId));
  return out;
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

export async function updateConversation(ctx: AppContext, portalId: number, linkId: number, changes: ConversationChanges): Promise<void> {
  const now = nowMs();
  await ctx.db('conversations')
    .insert({ link_id: linkId, portal_id: portalId, unanswered: false, ...changes, updated_at: now })
    .onConflict('link_id')
    .merge({ ...changes, updated_at: now });
}

/** A customer wrote: the conversation waits for an answer (unless this message is older than the last answer). */
export async function recordInboundMessage(ctx: AppContext, portalId: number, linkId: number, message: { id: number; at: number; summary: string }): Promise<void> {
  const [state] = (await loadConversations(ctx, portalId, [linkId])).values();
  const changes: ConversationChanges = {};
  if (state.lastInboundAt === null || message.at >= state.lastInboundAt) changes.last_inbound_at = message.at;
  // Events of one user are processed in order, so the message being recorded is the latest one.
  const answeredAfter = state.lastOutboundAt !== null && state.lastOutboundAt > message.at;
  if (!answeredAfter) {
    changes.unanswered = true;
    changes.unanswered_since = state.unanswered ? state.unansweredSince : message.at;
    changes.unanswered_message = message.summary;
    changes.unanswered_message_id = message.id;
  }
  if (Object.keys(changes).length) await updateConversation(ctx, portalId, linkId, changes);
}

/** Someone answered: the flag is cleared and the owner's open task is due to be completed. */
export async function recordAnswer(ctx: AppContext, portalId: number, linkId: number, at: number): Promise<void> {
  const [state] = (await loadConversations(ctx, portalId, [linkId])).values();
  const changes: ConversationChanges = {};
  if (state.lastOutboundAt === null || at >= state.lastOutboundAt) changes.last_outbound_at = at;
  if (state.unanswered && (state.lastInboundAt === null || at >= state.lastInboundAt)) {
    changes.unanswered = false;
    changes.unanswered_since = null;
    changes.unanswered_message = null;
    changes.unanswered_message_id = null;
  }
  if (changes.unanswered === false && state.openTaskId) {
    changes.task_to_complete_id = state.openTaskId;
    changes.open_task_id = null;
  }
  if (Object.keys(changes).length) await updateConversation(ctx, portalId, linkId, changes);
}

/** The unanswered message was unsent or edited: show what the customer now sees. */
export async function replaceUnansweredMessage(ctx: AppContext, portalId: number, messageId: number, summary: string): Promise<number[]> {
  const rows = await ctx.db('conversations').where({ portal_id: portalId, unanswered_message_id: messageId }).select('link_id');
  if (rows.length) {
    await ctx.db('conversations').where({ portal_id: portalId, unanswered_message_id: messageId }).update({ unanswered_message: summary, updated_at: nowMs() });
  }
  return rows.map((r: Row) => Number(r.link_id));
}
