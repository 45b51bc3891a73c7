// Conversation state per link (table conversations): unanswered flag and message, the owner's task,
// last inbound/outbound dates and the current timeline note. Inbound processing and the chat feature
// change it only through these functions.
import type { AppContext } from '../context.ts';
import { nowMs } from '../db/database.ts';
import { changesOnAnswer, changesOnInbound, conversationFieldsOf, type ConversationChanges, type ConversationFields } from './conversation-fields.ts';

export interface ConversationState extends ConversationFields {
  linkId: number;
  portalId: number;
}

type Row = Record<string, unknown>;

function fromRow(row: Row): ConversationState {
  return { linkId: Number(row.link_id), portalId: Number(row.portal_id), ...conversationFieldsOf(row) };
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
  const changes = changesOnInbound(state, message);
  if (Object.keys(changes).length) await updateConversation(ctx, portalId, linkId, changes);
}

/** Someone answered: the flag is cleared and the owner's open task is due to be completed. */
export async function recordAnswer(ctx: AppContext, portalId: number, linkId: number, at: number): Promise<void> {
  const [state] = (await loadConversations(ctx, portalId, [linkId])).values();
  const changes = changesOnAnswer(state, at);
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
