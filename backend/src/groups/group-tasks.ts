// A task for the company owner when a group starts waiting for an answer (one open task at a time),
// completed when the account answers. No owner, no task. A create is never retried blindly: its
// hs_timestamp is stored first and a create whose answer was lost is looked up by it.
import { TASK_ASSOCIATION_HUBSPOT_DEFINED } from '../hubspot/crm-enum-values.ts';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';
import { HubSpotApiError, type HubSpotPortal } from '../hubspot/portal-client.ts';
import { textToHtml } from '../http/html.ts';
import { findLostCompanyCreate } from './company-lost-creates.ts';
import { updateGroupConversation, type GroupConversation } from './group-conversations.ts';
import type { GroupRecord } from './groups.ts';

const TASK_TO_COMPANY = 192;
const MAX_TASK_BODY = 2000;

function taskSubject(group: GroupRecord, account: LineAccount): string {
  return `LINE group: reply in ${group.name ?? group.groupId} / グループに返信してください (${account.displayName})`.slice(0, 255);
}

async function ownerOf(hs: HubSpotPortal, companyId: number): Promise<string | undefined> {
  const company = await hs.call('companies.read', (client) => client.crm.companies.basicApi.getById(String(companyId), ['hubspot_owner_id']));
  return company.properties.hubspot_owner_id || undefined;
}

/** Completes the task of a group that was answered (a task deleted in HubSpot counts as done). */
export async function completeGroupTask(ctx: AppContext, hs: HubSpotPortal, conversation: GroupConversation): Promise<void> {
  if (!conversation.taskToCompleteId) return;
  try {
    await hs.call('tasks.update', (client) => client.crm.objects.tasks.basicApi.update(conversation.taskToCompleteId!, { properties: { hs_task_status: 'COMPLETED' } }));
  } catch (error) {
    if (!(error instanceof HubSpotApiError && error.status === 404)) throw error;
  }
  conversation.taskToCompleteId = null;
  await updateGroupConversation(ctx, conversation, { task_to_complete_id: null });
}

/** Creates the owner's task for a waiting group without one, when the account gives tasks and the company has an owner. */
export async function createGroupTask(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, group: GroupRecord & { companyId: number }, conversation: GroupConversation): Promise<void> {
  if (conversation.taskCreateMarker !== null) {
    const found = await findLostCompanyCreate(hs, 'tasks', group.companyId, conversation.taskCreateMarker);
    const adopt = found && conversation.unanswered && !conversation.openTaskId;
    Object.assign(conversation, { taskCreateMarker: null }, adopt ? { openTaskId: found } : {});
    await updateGroupConversation(ctx, conversation, { task_create_marker: null, ...(adopt ? { open_task_id: found } : {}) });
  }
  if (!account.ownerTasks || !conversation.unanswered || conversation.openTaskId) return;
  const ownerId = await ownerOf(hs, group.companyId);
  if (!ownerId) return;
  const marker = nowMs();
  conversation.taskCreateMarker = marker;
  await updateGroupConversation(ctx, conversation, { task_create_marker: marker });
  const task = await hs.call('tasks.create', (client) =>
    client.crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: new Date(marker).toISOString(),
        hs_task_subject: taskSubject(group, account),
        hs_task_body: textToHtml((conversation.unansweredMessage ?? '').slice(0, MAX_TASK_BODY)),
        hs_task_status: 'NOT_STARTED',
        hs_task_type: 'TODO',
        hs_task_priority: 'MEDIUM',
        hubspot_owner_id: ownerId,
      },
      associations: [{ to: { id: String(group.companyId) }, types: [{ associationCategory: TASK_ASSOCIATION_HUBSPOT_DEFINED, associationTypeId: TASK_TO_COMPANY }] }],
    }),
    { idempotent: false },
  );
  Object.assign(conversation, { openTaskId: task.id, taskCreateMarker: null });
  await updateGroupConversation(ctx, conversation, { open_task_id: task.id, task_create_marker: null });
}
