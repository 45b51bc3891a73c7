// How a workflow's sent messages are logged in a conversation (a contact's or a group's): the text a chat
// bubble and the timeline show, and the workflow they are signed with.
import type { LineMessage } from '../line/line-channel.ts';
import type { Execution } from './executions.ts';
import type { SentLog } from './recipients.ts';
import { fallbackWorkflowName } from './workflow-names.ts';

/** What the conversation shows of a message: its text, or the altText of a rich one. */
export function summaryOf(message: LineMessage): string | null {
  if (message.type === 'text') return message.text;
  return 'altText' in message && typeof message.altText === 'string' ? message.altText : null;
}

/** The sender a workflow's message is signed with in the chat panel and on the timeline. */
export function workflowSender(e: Pick<Execution, 'workflowId'>, workflowNames: Map<number, string>): { sentBy: string; senderName: string } {
  return {
    sentBy: `workflow:${e.workflowId ?? 'unknown'}`,
    senderName: e.workflowId === null ? 'Workflow' : (workflowNames.get(e.workflowId) ?? fallbackWorkflowName(e.workflowId)),
  };
}

/** The fields every conversation log stores of a workflow's sent messages, one row per message of `e`; each log adds its recipient. */
export function sentRowsOf({ account, workflowNames, now }: SentLog, e: Execution) {
  return e.messages.map((message) => ({
    portalId: account.portalId,
    accountId: account.id,
    type: message.type,
    text: summaryOf(message),
    payload: JSON.stringify(message),
    status: 'sent' as const,
    retryKey: e.sendKey,
    ...workflowSender(e, workflowNames),
    createdAt: now,
  }));
}
