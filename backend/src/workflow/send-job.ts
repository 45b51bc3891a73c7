// workflow.send { executionId }: takes the queued executions of a batch, checks each recipient (a contact's
// LINE user, a company's LINE group) is still reachable, renders each record's messages and checks them
// (prepare-sends.ts), sends (pushes, or multicasts to users for identical rendered messages) with stored
// retry keys, and records the outcome.
// LINE's temporary failures are retried until the retry horizon, then `failed`.
import { z } from 'zod';
import { findAccount, type LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define-job.ts';
import { RetryJobError } from '../jobs/job-errors.ts';
import type { Job } from '../jobs/queue.ts';
import { loadExecutions, noteTransientFailure, setSendKeys, type Execution } from './executions.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { sendToLine } from './line-send.ts';
import { prepareSends } from './prepare-sends.ts';
import { RECIPIENTS, recipientsOf } from './recipient-kinds.ts';
import { recordOutcome } from './record-outcome.ts';
import { MULTICAST_LIMIT, planSends, type PlannedSend } from './send-plan.ts';
import { retryDelayMs, type WorkflowTimings } from './timings.ts';
import { namesOfWorkflows, type WorkflowNames } from './workflow-names.ts';

const CONCURRENT_SENDS = 8;
export const SEND_JOB_TYPE = 'workflow.send';
const payload = z.object({ executionId: z.number().int().positive() });
type SendJob = Job<z.infer<typeof payload>>;

/** The queued executions of the batch, plus those sharing a stored retry key with one of them (a request is resent whole). */
async function queuedExecutions(ctx: AppContext, ids: number[]): Promise<Execution[]> {
  const inBatch = (await loadExecutions(ctx, ids)).filter((e) => e.state === 'queued');
  const keys = [...new Set(inBatch.map((e) => e.sendKey).filter((k): k is string => k !== null))];
  if (keys.length === 0) return inBatch;
  const partners = await ctx.db('workflow_executions').whereIn('send_key', keys).where({ state: 'queued' }).pluck('id');
  const missing = partners.map(Number).filter((id) => !inBatch.some((e) => e.id === id));
  return [...inBatch, ...(await loadExecutions(ctx, missing))];
}

export function createSendJob(timings: WorkflowTimings, names: WorkflowNames) {
  async function deliver(ctx: AppContext, account: LineAccount, send: PlannedSend, jobs: Map<number, SendJob>, failures: Map<number, unknown>) {
    const outcome = await sendToLine(ctx.config, {
      channelAccessToken: account.channelAccessToken,
      to: send.executions.map((e) => e.recipientId!),
      messages: send.executions[0].messages,
      retryKey: send.key,
      timeoutMs: timings.lineTimeoutMs,
    });
    if (outcome.kind === 'sent') return recordOutcome(ctx, account, send.executions, { delivery: 'sent', error: null }, await namesOfWorkflows(names, ctx, account.portalId, send.executions));
    if (outcome.kind === 'refused') {
      const gone = outcome.status === 400 ? await recipientsOf(send.executions[0].objectType).goneWhenRefused?.(ctx, account, send.executions) : undefined;
      return recordOutcome(ctx, account, send.executions, gone ?? { delivery: 'failed', error: outcome.reason });
    }
    const now = Date.now();
    const since = Math.min(...send.executions.map((e) => e.firstFailureAt ?? now));
    if (now - since >= timings.retryHorizonMs) {
      const hours = Math.round((now - since) / 360_000) / 10;
      return recordOutcome(ctx, account, send.executions, { delivery: 'failed', error: `LINE did not accept the message for ${hours} h; last answer: ${outcome.reason}` });
    }
    await noteTransientFailure(ctx, send.executions.map((e) => e.id), now);
    ctx.logger.warn({ accountId: account.id, executions: send.executions.length, reason: outcome.reason }, 'workflow send will be retried');
    // One delay for the whole request: jobs retried at scattered times would each resend it (LINE's 409s).
    const attempts = Math.max(...send.executions.map((e) => jobs.get(e.id)?.attempts ?? 1));
    const delayMs = retryDelayMs(timings, attempts);
    for (const e of send.executions) {
      const job = jobs.get(e.id);
      if (job) failures.set(job.id, new RetryJobError(outcome.reason, { delayMs }));
    }
  }

  return defineJob({
    type: SEND_JOB_TYPE,
    payload,
    // Two multicasts' worth: a group of identical executions that falls due together is claimed whole even
    // when other due sends are claimed before it, so it is not cut into two requests.
    batchSize: 2 * MULTICAST_LIMIT,
    async runBatch(ctx: AppContext, batch) {
      const jobs = new Map(batch.map((job) => [job.payload.executionId, job]));
      const failures = new Map<number, unknown>();
      const byAccount = new Map<number | null, Execution[]>();
      for (const e of await queuedExecutions(ctx, [...jobs.keys()])) byAccount.set(e.lineAccountId, [...(byAccount.get(e.lineAccountId) ?? []), e]);
      for (const [accountId, executions] of byAccount) {
        const account = accountId === null ? undefined : await findAccount(ctx, executions[0].portalId, accountId);
        if (!account) {
          await recordOutcome(ctx, undefined, executions, { delivery: 'failed', error: 'The LINE account of this step was removed from the app' });
          continue;
        }
        // One with a retry key may already be at LINE: it is resent as it is, so LINE's 409 settles it.
        const stopped = new Set<Execution>();
        for (const recipients of RECIPIENTS) {
          const unsent = executions.filter((e) => e.objectType === recipients.kind && !e.sendKey);
          for (const end of unsent.length ? await recipients.unreachable(ctx, account, unsent) : []) {
            await recordOutcome(ctx, account, end.executions, end.outcome);
            for (const e of end.executions) stopped.add(e);
          }
        }
        const sendable = executions.filter((e) => !stopped.has(e));
        const prepared = await prepareSends(ctx, account, sendable, timings.lineTimeoutMs);
        if ('retry' in prepared) {
          for (const e of sendable) if (jobs.has(e.id)) failures.set(jobs.get(e.id)!.id, prepared.retry);
          continue;
        }
        for (const r of prepared.refused) await recordOutcome(ctx, account, r.executions, { delivery: 'failed', error: r.error });
        const sends = planSends(account.channelId, prepared.ready);
        await setSendKeys(ctx, sends.map((s) => ({ key: s.key, messages: s.executions[0].messages, executionIds: s.executions.filter((e) => !e.sendKey).map((e) => e.id) })));
        for (const s of sends) for (const e of s.executions) e.sendKey = s.key;
        await mapWithConcurrency(sends, CONCURRENT_SENDS, (send) => deliver(ctx, account, send, jobs, failures));
      }
      return failures;
    },
  });
}
