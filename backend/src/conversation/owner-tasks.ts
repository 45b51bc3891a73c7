// A task for the contact owner when a conversation starts waiting for an answer (one open task at a
// time), completed when someone answers. No owner, no task: assigning the task is how HubSpot notifies.
// A create is never retried blindly: its hs_timestamp is stored first, and a create whose answer was
// lost is looked up by it (lost-creates.ts) before another task is made.
import { TASK_ASSOCIATION_HUBSPOT_DEFINED } from '../hubspot/crm-enum-values.ts';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { HubSpotApiError } from '../hubspot/api-error.ts';
import { textToHtml } from '../http/html.ts';
import type { LinkRecord } from '../contacts/links.ts';
import { updateConversation, type ConversationState } from './conversation-state.ts';
import { findLostCreates } from './lost-creates.ts';

const TASK_TO_CONTACT = 204;
const CHUNK = 100;
const MAX_TASK_BODY = 2000;

export interface TaskCandidate {
  link: LinkRecord & { contactId: number };
  conversation: ConversationState;
}

function taskSubject(link: LinkRecord, account: LineAccount): string {
  const who = link.displayName ?? link.lineUserId;
  return `LINE: reply to ${who} / 返信してください (${account.displayName})`.slice(0, 255);
}

async function ownersOf(hs: HubSpotPortal, contactIds: number[]): Promise<Map<number, string>> {
  const owners = new Map<number, string>();
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const inputs = contactIds.slice(i, i + CHUNK).map((id) => ({ id: String(id) }));
    const page = await hs.call('contacts.batch.read', (client) => client.crm.contacts.batchApi.read({ inputs, properties: ['hubspot_owner_id'], propertiesWithHistory: [] }));
    for (const c of page.results) {
      const owner = c.properties.hubspot_owner_id;
      if (owner) owners.set(Number(c.id), owner);
    }
  }
  return owners;
}

/**
 * Tasks created without a known answer: the one HubSpot made becomes the open task, or is completed
 * at once when the conversation was answered meanwhile. The markers are cleared either way.
 */
async function recoverLostTasks(ctx: AppContext, hs: HubSpotPortal, portalId: number, candidates: TaskCandidate[]): Promise<void> {
  const lost = candidates
    .filter((c) => c.conversation.taskCreateMarker !== null)
    .map((c) => ({ ...c, contactId: c.link.contactId, timestamp: c.conversation.taskCreateMarker! }));
  if (lost.length === 0) return;
  const found = await findLostCreates(hs, 'tasks', lost);
  const adopted = new Map<ConversationState, string>();
  const answeredMeanwhile: string[] = [];
  for (const l of lost) {
    const taskId = found.get(l);
    if (taskId === undefined) continue;
    if (l.conversation.unanswered && !l.conversation.openTaskId) adopted.set(l.conversation, taskId);
    else answeredMeanwhile.push(taskId);
  }
  await completeTasks(hs, answeredMeanwhile);
  for (const { conversation } of lost) {
    const taskId = adopted.get(conversation);
    Object.assign(conversation, { taskCreateMarker: null }, taskId ? { openTaskId: taskId } : {});
    await updateConversation(ctx, portalId, conversation.linkId, { task_create_marker: null, ...(taskId ? { open_task_id: taskId } : {}) });
  }
}

/** Creates one task per waiting conversation whose contact has an owner and no open task yet. */
export async function createOwnerTasks(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, candidates: TaskCandidate[]): Promise<void> {
  await recoverLostTasks(ctx, hs, account.portalId, candidates);
  const waiting = candidates.filter((c) => account.ownerTasks && c.conversation.unanswered && !c.conversation.openTaskId);
  if (waiting.length === 0) return;
  const owners = await ownersOf(hs, [...new Set(waiting.map((c) => c.link.contactId))]);
  for (const { link, conversation } of waiting) {
    const ownerId = owners.get(link.contactId);
    if (!ownerId) continue;
    // One create per task: batch results cannot be matched back to their conversations.
    const marker = nowMs();
    conversation.taskCreateMarker = marker;
    await updateConversation(ctx, account.portalId, link.id, { task_create_marker: marker });
    const task = await hs.call('tasks.create', (client) =>
      client.crm.objects.tasks.basicApi.create({
        properties: {
          hs_timestamp: new Date(marker).toISOString(),
          hs_task_subject: taskSubject(link, account),
          // HubSpot renders the body as HTML; cut before escaping so no entity is cut in half.
          hs_task_body: textToHtml((conversation.unansweredMessage ?? '').slice(0, MAX_TASK_BODY)),
          hs_task_status: 'NOT_STARTED',
          hs_task_type: 'TODO',
          hs_task_priority: 'MEDIUM',
          hubspot_owner_id: ownerId,
        },
        associations: [{ to: { id: String(link.contactId) }, types: [{ associationCategory: TASK_ASSOCIATION_HUBSPOT_DEFINED, associationTypeId: TASK_TO_CONTACT }] }],
      }),
      { idempotent: false },
    );
    Object.assign(conversation, { openTaskId: task.id, taskCreateMarker: null });
    await updateConversation(ctx, account.portalId, link.id, { open_task_id: task.id, task_create_marker: null });
  }
}

/** Marks tasks completed. A task deleted in HubSpot counts as done. */
async function completeTasks(hs: HubSpotPortal, taskIds: string[]): Promise<void> {
  for (let i = 0; i < taskIds.length; i += CHUNK) {
    const inputs = taskIds.slice(i, i + CHUNK).map((id) => ({ id, properties: { hs_task_status: 'COMPLETED' } }));
    try {
      await hs.call('tasks.batch.update', (client) => client.crm.objects.tasks.batchApi.update({ inputs }));
    } catch (error) {
      // 404: every task of the batch is gone already; nothing left to complete.
      if (!(error instanceof HubSpotApiError && error.status === 404)) throw error;
    }
  }
}

/** Completes the tasks of conversations that were answered. */
export async function completeOwnerTasks(ctx: AppContext, hs: HubSpotPortal, portalId: number, conversations: ConversationState[]): Promise<void> {
  const answered = conversations.filter((c) => c.taskToCompleteId);
  for (let i = 0; i < answered.length; i += CHUNK) {
    const slice = answered.slice(i, i + CHUNK);
    await completeTasks(hs, slice.map((c) => c.taskToCompleteId!));
    for (const c of slice) {
      c.taskToCompleteId = null;
      await updateConversation(ctx, portalId, c.linkId, { task_to_complete_id: null });
    }
  }
}
