// Stores how executions ended, in one transaction with what follows from it: the completion callback
// job, and for sent ones the conversation log rows and the conversation.outbound-sent job (timeline,
// last outbound date, unanswered flag). An execution is finished once: a concurrent worker that sent
// the same request (and got LINE's 409) finds it finished and adds nothing.
import type { Knex } from 'knex';
import type { LineMessage } from '../line/line-channel.ts';
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { insertOutboundMessage } from '../conversation/messages.ts';
import { outboundSentJob } from '../conversation/outbound-sent-job.ts';
import { jobOf } from '../jobs/define-job.ts';
import type { Execution } from './executions.ts';
import type { Outcome } from './outputs.ts';
import { completeJob } from './complete-job.ts';

function summaryOf(message: LineMessage): string | null {
  if (message.type === 'text') return message.text;
  return 'altText' in message && typeof message.altText === 'string' ? message.altText : null;
}

async function logSentMessages(trx: Knex.Transaction, ctx: AppContext, account: LineAccount, e: Execution, now: number): Promise<void> {
  const ids: number[] = [];
  for (const message of e.messages) {
    ids.push(
      await insertOutboundMessage(ctx, {
        portalId: account.portalId,
        accountId: account.id,
        lineUserId: e.lineUserId!,
        type: message.type,
        text: summaryOf(message),
        payload: JSON.stringify(message),
        status: 'sent',
        retryKey: e.sendKey,
        sentBy: `workflow:${e.workflowId ?? 'unknown'}`,
        senderName: e.workflowId ? `Workflow ${e.workflowId}` : 'Workflow',
        createdAt: now,
        sentAt: now,
      }, trx),
    );
  }
  await ctx.queue.enqueueMany(
    ids.map((messageId) => jobOf(outboundSentJob, { messageId }, { dedupeKey: `${outboundSentJob.type}:${messageId}`, portalId: account.portalId, lineAccountId: account.id })),
    trx,
  );
}

export async function recordOutcome(ctx: AppContext, account: LineAccount | undefined, executions: Execution[], outcome: Outcome): Promise<void> {
  const now = Date.now();
  await ctx.db.transaction(async (trx) => {
    const finished: Execution[] = [];
    for (const e of executions) {
      const changed = await trx('workflow_executions').where({ id: e.id, state: 'queued' }).update({ state: outcome.delivery, line_error: outcome.error, updated_at: now });
      if (changed === 1) finished.push(e);
    }
    if (outcome.delivery === 'sent' && account) for (const e of finished) await logSentMessages(trx, ctx, account, e, now);
    await ctx.queue.enqueueMany(
      finished.map((e) => jobOf(completeJob, { executionId: e.id }, { dedupeKey: `${completeJob.type}:${e.id}`, portalId: e.portalId, maxAttempts: 50 })),
      trx,
    );
  });
}
