// Stores how executions ended, in one transaction with what follows from it: the completion callback
// job, and for sent ones the conversation log rows, signed with the workflow's name, and what the
// recipient's kind queues after a send (recipients.ts). An execution is finished once: a concurrent
// worker that sent the same request (and got LINE's 409) finds it finished and adds nothing.
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { jobOf } from '../jobs/define-job.ts';
import { finishExecutions, type Execution } from './executions.ts';
import type { Outcome } from './outputs.ts';
import { completeJob } from './complete-job.ts';
import { RECIPIENTS } from './recipient-kinds.ts';
import type { AfterCommit } from './recipients.ts';

/** `workflowNames` (by workflow id) sign the logged messages of sent executions (workflow-names.ts). */
export async function recordOutcome(ctx: AppContext, account: LineAccount | undefined, executions: Execution[], outcome: Outcome, workflowNames = new Map<number, string>()): Promise<void> {
  const now = Date.now();
  const afterCommit: AfterCommit[] = [];
  await ctx.db.transaction(async (trx) => {
    const ended = await finishExecutions(trx, executions.map((e) => e.id), outcome, now);
    const finished = executions.filter((e) => ended.has(e.id));
    if (outcome.delivery === 'sent' && account) {
      for (const recipients of RECIPIENTS) {
        const ofKind = finished.filter((e) => e.objectType === recipients.kind);
        const then = ofKind.length > 0 ? await recipients.logSent(trx, ctx, { account, executions: ofKind, workflowNames, now }) : undefined;
        if (then) afterCommit.push(then);
      }
    }
    await ctx.queue.enqueueMany(
      finished.map((e) => jobOf(completeJob, { executionId: e.id }, { dedupeKey: `${completeJob.type}:${e.id}`, portalId: e.portalId, maxAttempts: 50 })),
      trx,
    );
  });
  for (const then of afterCommit) await then();
}
