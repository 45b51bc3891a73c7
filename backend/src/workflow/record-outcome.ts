// Stores how executions ended, in one transaction with what follows from it: the completion callback
// job, and for sent ones the conversation log rows, signed with the workflow's name, and the
// conversation.outbound-sent job (timeline, last outbound date, unanswered flag). An execution is
// finished once: a concurrent worker that sent the same request (and got LINE's 409) finds it finished
// and adds nothing.
import type { Knex } from 'knex';
import type { LineMessage } from '../line/line-channel.ts';
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { insertOutboundMessages, type NewOutboundMessage } from '../conversation/messages.ts';
import { outboundSentJob } from '../conversation/outbound-sent-job.ts';
import { jobOf } from '../jobs/define-job.ts';
import { finishExecutions, type Execution } from './executions.ts';
import type { Outcome } from './outputs.ts';
import { completeJob } from './complete-job.ts';
import { fallbackWorkflowName } from './workflow-names.ts';

function summaryOf(message: LineMessage): string | null {
  if (message.type === 'text') return message.text;
  return 'altText' in message && typeof message.altText === 'string' ? message.altText : null;
}

function sentMessagesOf(account: LineAccount, e: Execution, workflowNames: Map<number, string>, now: number): NewOutboundMessage[] {
  return e.messages.map((message) => ({
    portalId: account.portalId,
    accountId: account.id,
    lineUserId: e.lineUserId!,
    type: message.type,
    text: summaryOf(message),
    payload: JSON.stringify(message),
    status: 'sent',
    retryKey: e.sendKey,
    sentBy: `workflow:${e.workflowId ?? 'unknown'}`,
    senderName: e.workflowId === null ? 'Workflow' : (workflowNames.get(e.workflowId) ?? fallbackWorkflowName(e.workflowId)),
    createdAt: now,
    sentAt: now,
  }));
}

async function logSentMessages(trx: Knex.Transaction, ctx: AppContext, account: LineAccount, executions: Execution[], workflowNames: Map<number, string>, now: number): Promise<void> {
  const ids = await insertOutboundMessages(ctx, executions.flatMap((e) => sentMessagesOf(account, e, workflowNames, now)), trx);
  await ctx.queue.enqueueMany(
    ids.map((messageId) => jobOf(outboundSentJob, { messageId }, { dedupeKey: `${outboundSentJob.type}:${messageId}`, portalId: account.portalId, lineAccountId: account.id })),
    trx,
  );
}

/** `workflowNames` (by workflow id) sign the logged messages of sent executions (workflow-names.ts). */
export async function recordOutcome(ctx: AppContext, account: LineAccount | undefined, executions: Execution[], outcome: Outcome, workflowNames = new Map<number, string>()): Promise<void> {
  const now = Date.now();
  await ctx.db.transaction(async (trx) => {
    const ended = await finishExecutions(trx, executions.map((e) => e.id), outcome, now);
    const finished = executions.filter((e) => ended.has(e.id));
    if (outcome.delivery === 'sent' && account) await logSentMessages(trx, ctx, account, finished, workflowNames, now);
    await ctx.queue.enqueueMany(
      finished.map((e) => jobOf(completeJob, { executionId: e.id }, { dedupeKey: `${completeJob.type}:${e.id}`, portalId: e.portalId, maxAttempts: 50 })),
      trx,
    );
  });
}
