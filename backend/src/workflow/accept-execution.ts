// Accepting one execution: stored under its callbackId before anything else, then answered. What is
// known at once (no account, an invalid step, a contact without a LINE user or one who blocked the
// account) is answered with the outputs; anything to send is answered BLOCK and finished by the worker
// through the callback API. A HubSpot retry of a stored callbackId gets the first outcome again.
import type { AppContext } from '../context.ts';
import { listAccounts, type LineAccount } from '../accounts/repository.ts';
import { findLinkOfContact } from '../contacts/links.ts';
import { jobOf, type JobDefinition } from '../jobs/define-job.ts';
import type { ExecutionRequest } from './action-request.ts';
import { findExecution, insertExecution, outcomeOf, type NewExecution } from './executions.ts';
import { outputFieldsOf, type Outcome } from './outputs.ts';
import { stepMessages } from './step-messages.ts';
import { stepTokens } from './step-tokens.ts';
import { untilWindowEnd, type WorkflowTimings } from './timings.ts';

export type ExecutionAnswer = { outputFields: Record<string, string> };

const BLOCK: ExecutionAnswer = { outputFields: { hs_execution_state: 'BLOCK' } };

async function chosenAccount(ctx: AppContext, portalId: number, value: unknown): Promise<LineAccount | undefined> {
  const accounts = await listAccounts(ctx, portalId);
  if (value === undefined || value === null || value === '') return accounts[0];
  return accounts.find((a) => String(a.id) === String(value));
}

async function planExecution(ctx: AppContext, request: ExecutionRequest): Promise<NewExecution> {
  const portalId = request.origin.portalId;
  const base = { portalId, callbackId: request.callbackId, contactId: request.object.objectId, workflowId: request.context?.workflowId ?? null, lineAccountId: null, lineUserId: null, messages: [] };
  const failed = (error: string): Outcome => ({ delivery: 'failed', error });
  const account = await chosenAccount(ctx, portalId, request.inputFields.lineAccount);
  if (!account) return { ...base, outcome: failed(request.inputFields.lineAccount ? `LINE account ${String(request.inputFields.lineAccount)} is not connected to the app` : 'No LINE account is connected to the app') };
  const step = await stepMessages(ctx, portalId, request.inputFields);
  if (!step.ok) return { ...base, lineAccountId: account.id, outcome: failed(step.problem) };
  const tokens = stepTokens(step.messages, request.object.properties);
  if (!tokens.ok) return { ...base, lineAccountId: account.id, outcome: failed(tokens.problem) };
  const planned = { ...base, lineAccountId: account.id, messages: step.messages, contactValues: tokens.contactValues };
  const link = await findLinkOfContact(ctx, account.portalId, account.id, request.object.objectId);
  if (!link) return { ...planned, outcome: { delivery: 'not_linked', error: `The contact is not linked to a LINE user of ${account.displayName}` } };
  if (link.followStatus === 'blocked') return { ...planned, lineUserId: link.lineUserId, outcome: { delivery: 'blocked', error: `The LINE user has blocked ${account.displayName}` } };
  return { ...planned, lineUserId: link.lineUserId };
}

function answerFor(outcome: Outcome | undefined): ExecutionAnswer {
  return outcome ? { outputFields: outputFieldsOf(outcome) } : BLOCK;
}

export interface SendJobRef {
  job: JobDefinition;
  timings: WorkflowTimings;
}

export async function acceptExecution(ctx: AppContext, send: SendJobRef, request: ExecutionRequest): Promise<ExecutionAnswer | 'other_portal'> {
  const known = await findExecution(ctx, request.callbackId);
  if (!known) {
    const planned = await planExecution(ctx, request);
    const stored = await ctx.db.transaction(async (trx) => {
      if (!(await insertExecution(trx, planned, Date.now()))) return false;
      if (!planned.outcome) {
        const { id } = await trx('workflow_executions').where({ callback_id: planned.callbackId }).first('id');
        const options = { dedupeKey: `${send.job.type}:${id}`, portalId: planned.portalId, lineAccountId: planned.lineAccountId ?? undefined, maxAttempts: 10_000 };
        await ctx.queue.enqueue(jobOf(send.job, { executionId: Number(id) }, { ...options, delayMs: untilWindowEnd(send.timings, Date.now()) }), trx);
      }
      return true;
    });
    if (stored) return answerFor(planned.outcome);
  }
  const execution = known ?? (await findExecution(ctx, request.callbackId))!;
  if (execution.portalId !== request.origin.portalId) return 'other_portal';
  // Answered with outputs only once the outcome is final; a queued execution stays BLOCKed for its callback.
  return answerFor(outcomeOf(execution));
}
