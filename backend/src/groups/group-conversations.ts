// Conversation state per group (group_conversations): the unanswered flag and message, the company owner's
// task, last inbound/outbound dates and the current timeline note. The only code that reads or changes it.
import type { AppContext } from '../context.ts';
import { changesOnAnswer, changesOnInbound, conversationFieldsOf, type ConversationChanges, type ConversationFields } from '../conversation/conversation-fields.ts';
import { nowMs } from '../db/database.ts';

/** A group's conversation holds what a 1:1 conversation holds (conversation-fields.ts), by the group's row. */
export interface GroupConversation extends ConversationFields {
  /** line_groups.id */
  groupRowId: number;
  portalId: number;
}

export async function loadGroupConversation(ctx: AppContext, portalId: number, groupRowId: number): Promise<GroupConversation> {
  const row = await ctx.db('group_conversations').where({ portal_id: portalId, line_group_row_id: groupRowId }).first();
  return { groupRowId, portalId, ...conversationFieldsOf(row) };
}

export async function updateGroupConversation(ctx: AppContext, c: Pick<GroupConversation, 'groupRowId' | 'portalId'>, changes: ConversationChanges): Promise<void> {
  const now = nowMs();
  await ctx.db('group_conversations')
    .insert({ line_group_row_id: c.groupRowId, portal_id: c.portalId, unanswered: false, ...changes, updated_at: now })
    .onConflict('line_group_row_id')
    .merge({ ...changes, updated_at: now });
}

/** A member wrote: the group waits for an answer (unless the account answered after this message). */
export async function recordGroupInbound(ctx: AppContext, portalId: number, groupRowId: number, message: { id: number; at: number; summary: string }): Promise<void> {
  const state = await loadGroupConversation(ctx, portalId, groupRowId);
  const changes = changesOnInbound(state, message);
  if (Object.keys(changes).length) await updateGroupConversation(ctx, state, changes);
}

/** The account answered in the group: the flag is cleared and the owner's open task is due to be completed. */
export async function recordGroupAnswer(ctx: AppContext, portalId: number, groupRowId: number, at: number): Promise<void> {
  const state = await loadGroupConversation(ctx, portalId, groupRowId);
  const changes = changesOnAnswer(state, at);
  if (Object.keys(changes).length) await updateGroupConversation(ctx, state, changes);
}

/** The unanswered message was unsent: the property and task show what the members now see. */
export async function replaceGroupUnansweredMessage(ctx: AppContext, portalId: number, messageId: number, summary: string): Promise<void> {
  await ctx.db('group_conversations').where({ portal_id: portalId, unanswered_message_id: messageId }).update({ unanswered_message: summary, updated_at: nowMs() });
}
