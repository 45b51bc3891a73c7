// Accepting executions: each is stored under its callbackId before it is answered. What is known at once
// (no account, an invalid step, a contact without a LINE user or one who blocked the account) is answered
// with the outputs; anything to send is answered BLOCK and finished by the worker through the callback
// API. A HubSpot retry of a stored callbackId gets the first outcome again. Executions arriving together
// are stored together (group-commit.ts): one read of what is known, one transaction for rows and jobs.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { HttpError } from '../http/errors.ts';
import { jobOf, type JobDefinition } from '../jobs/define-job.ts';
import type { ExecutionRequest } from './action-request.ts';
import { batchLookups, type ExecutionLookups } from './execution-lookups.ts';
import { findExecutions, insertExecutions, outcomeOf, type Execution, type NewExecution } from './executions.ts';
import { groupCommit } from './group-commit.ts';
import { installRefusal } from './installed-portal.ts';
import { outputFieldsOf, type Outcome } from './outputs.ts';
import type { SendSchedule } from './send-schedule.ts';
import { stepMessages } from './step-messages.ts';
import { stepTokens } from './step-tokens.ts';

export type ExecutionAnswer = { outputFields: Record<string, string> };

const BLOCK: ExecutionAnswer = { outputFields: { hs_execution_state: 'BLOCK' } };
/** Executions stored in one transaction at most. */
const BATCH_LIMIT = 500;

async function chosenAccount(lookups: ExecutionLookups, portalId: number, value: unknown): Promise<LineAccount | undefined> {
  const accounts = await lookups.accounts(portalId);
  if (value === undefined || value === null || value === '') return accounts[0];
  return accounts.find((a) => String(a.id) === String(value));
}

async function planExecution(lookups: ExecutionLookups, request: ExecutionRequest): Promise<NewExecution> {
  const portalId = request.origin.portalId;
  const base = { portalId, callbackId: request.callbackId, contactId: request.object.objectId, workflowId: request.context?.workflowId ?? null, lineAccountId: null, lineUserId: null, messages: [] };
  const failed = (error: string): Outcome => ({ delivery: 'failed', error });
  const account = await chosenAccount(lookups, portalId, request.inputFields.lineAccount);
  if (!account) return { ...base, outcome: failed(request.inputFields.lineAccount ? `LINE account ${String(request.inputFields.lineAccount)} is not connected to the app` : 'No LINE account is connected to the app') };
  const step = await stepMessages(lookups.template, portalId, request.inputFields);
  if (!step.ok) return { ...base, lineAccountId: account.id, outcome: failed(step.problem) };
  const tokens = stepTokens(step.messages, request.object.properties);
  if (!tokens.ok) return { ...base, lineAccountId: account.id, outcome: failed(tokens.problem) };
  const planned = { ...base, lineAccountId: account.id, messages: step.messages, contactValues: tokens.contactValues };
  const link = await lookups.linkOfContact(account, request.object.objectId);
  if (!link) return { ...planned, outcome: { delivery: 'not_linked', error: `The contact is not linked to a LINE user of ${account.displayName}` } };
  if (link.followStatus === 'blocked') return { ...planned, lineUserId: link.lineUserId, outcome: { delivery: 'blocked', error: `The LINE user has blocked ${account.displayName}` } };
  return { ...planned, lineUserId: link.lineUserId };
}

/** The answer HubSpot gets, or the refusal (a 4xx, which HubSpot does not retry). */
export type AcceptResult = ExecutionAnswer | HttpError;

const otherPortal = () => new HttpError(409, 'conflict', 'This callbackId belongs to another portal');

function answerFor(portalId: number, stored: Pick<Execution, 'portalId'> & { outcome?: Outcome }): AcceptResult {
  if (stored.portalId !== portalId) return otherPortal();
  // Answered with outputs only once the outcome is final; a queued execution stays BLOCKed for its callback.
  return stored.outcome ? { outputFields: outputFieldsOf(stored.outcome) } : BLOCK;
}

export interface SendJobRef {
  job: JobDefinition;
  schedule: SendSchedule;
}

async function acceptBatch(ctx: AppContext, send: SendJobRef, requests: ExecutionRequest[]): Promise<Array<PromiseSettledResult<AcceptResult>>> {
  const lookups = batchLookups(ctx);
  const refusals = new Map<number, HttpError | undefined>();
  for (const portalId of new Set(requests.map((r) => r.origin.portalId))) refusals.set(portalId, installRefusal(await lookups.portal(portalId)));
  const admitted = requests.filter((r) => !refusals.get(r.origin.portalId));
  const known = await findExecutions(ctx, [...new Set(admitted.map((r) => r.callbackId))]);
  // The first request of a new callbackId is planned and stored; a duplicate in the same batch gets its answer.
  const fresh = new Map<string, ExecutionRequest>();
  for (const r of admitted) if (!known.has(r.callbackId) && !fresh.has(r.callbackId)) fresh.set(r.callbackId, r);
  const plans = new Map<string, PromiseSettledResult<NewExecution>>();
  const settled = await Promise.allSettled([...fresh.values()].map((r) => planExecution(lookups, r)));
  [...fresh.keys()].forEach((callbackId, i) => plans.set(callbackId, settled[i]));
  const planned = settled.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));

  const now = Date.now();
  const stored = await ctx.db.transaction(async (trx) => {
    const ids = await insertExecutions(trx, planned, now);
    const toSend = planned.filter((p) => !p.outcome && ids.has(p.callbackId));
    await ctx.queue.enqueueMany(
      toSend.map((p) => {
        const id = ids.get(p.callbackId)!;
        return jobOf(send.job, { executionId: id }, { dedupeKey: `${send.job.type}:${id}`, portalId: p.portalId, lineAccountId: p.lineAccountId ?? undefined, maxAttempts: 10_000, runAt: send.schedule(p, now) });
      }),
      trx,
    );
    return ids;
  });
  // A callbackId that another process stored between our read and our insert answers what it stored.
  const storedElsewhere = await findExecutions(ctx, planned.filter((p) => !stored.has(p.callbackId)).map((p) => p.callbackId));

  return requests.map((r): PromiseSettledResult<AcceptResult> => {
    const refusal = refusals.get(r.origin.portalId);
    if (refusal) return { status: 'fulfilled', value: refusal };
    const existing = known.get(r.callbackId) ?? storedElsewhere.get(r.callbackId);
    if (existing) return { status: 'fulfilled', value: answerFor(r.origin.portalId, { portalId: existing.portalId, outcome: outcomeOf(existing) }) };
    const plan = plans.get(r.callbackId)!;
    if (plan.status === 'rejected') return plan;
    return { status: 'fulfilled', value: answerFor(r.origin.portalId, plan.value) };
  });
}

/** Accepts one execution; executions that arrive while a batch is being stored are stored together next. */
export function executionIntake(ctx: AppContext, send: SendJobRef): (request: ExecutionRequest) => Promise<AcceptResult> {
  return groupCommit((requests: ExecutionRequest[]) => acceptBatch(ctx, send, requests), BATCH_LIMIT);
}
