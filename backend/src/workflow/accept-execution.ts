// Accepting executions: each is stored under its callbackId before it is answered. What is known at once
// (no account, an invalid step, a record without a LINE user or group, a user who blocked the account) is answered
// with the outputs; anything to send is answered BLOCK and finished by the worker through the callback
// API. A HubSpot retry of a stored callbackId gets the first outcome again. Executions arriving together
// are stored together (group-commit.ts): one read of what is known, one transaction for rows and jobs.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { HttpError } from '../http/errors.ts';
import { jobOf, type JobDefinition } from '../jobs/define-job.ts';
import type { ActionObject } from './action-objects.ts';
import type { ExecutionRequest } from './action-request.ts';
import { batchLookups, type ExecutionLookups } from './execution-lookups.ts';
import { findExecutions, insertExecutions, outcomeOf, type Execution, type NewExecution } from './executions.ts';
import { groupCommit } from './group-commit.ts';
import { installRefusal } from './installed-portal.ts';
import { outputFieldsOf, type Outcome } from './outputs.ts';
import { recipientsOf } from './recipient-kinds.ts';
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

/** An execution of one of the action definitions: the record kind it enrolls comes from the URL it was sent to. */
export interface ActionExecution {
  object: ActionObject;
  request: ExecutionRequest;
}

async function planExecution(lookups: ExecutionLookups, { object, request }: ActionExecution): Promise<NewExecution> {
  const portalId = request.origin.portalId;
  const base = { portalId, callbackId: request.callbackId, objectType: object.kind, objectId: request.object.objectId, workflowId: request.context?.workflowId ?? null, lineAccountId: null, recipientId: null, messages: [] };
  const failed = (error: string): Outcome => ({ delivery: 'failed', error });
  const account = await chosenAccount(lookups, portalId, request.inputFields.lineAccount);
  if (!account) return { ...base, outcome: failed(request.inputFields.lineAccount ? `LINE account ${String(request.inputFields.lineAccount)} is not connected to the app` : 'No LINE account is connected to the app') };
  const step = await stepMessages(lookups.template, portalId, request.inputFields);
  if (!step.ok) return { ...base, lineAccountId: account.id, outcome: failed(step.problem) };
  const tokens = stepTokens(object.kind, step.messages, request.object.properties);
  if (!tokens.ok) return { ...base, lineAccountId: account.id, outcome: failed(tokens.problem) };
  const planned = { ...base, lineAccountId: account.id, messages: step.messages, objectValues: tokens.objectValues };
  const recipient = await recipientsOf(object.kind).find(lookups, account, request.object.objectId);
  return recipient.ok ? { ...planned, recipientId: recipient.recipientId } : { ...planned, recipientId: recipient.recipientId, outcome: recipient.outcome };
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

async function acceptBatch(ctx: AppContext, send: SendJobRef, executions: ActionExecution[]): Promise<Array<PromiseSettledResult<AcceptResult>>> {
  const requests = executions.map((e) => e.request);
  const lookups = batchLookups(ctx);
  const refusals = new Map<number, HttpError | undefined>();
  for (const portalId of new Set(requests.map((r) => r.origin.portalId))) refusals.set(portalId, installRefusal(await lookups.portal(portalId)));
  const admitted = executions.filter((e) => !refusals.get(e.request.origin.portalId));
  const known = await findExecutions(ctx, [...new Set(admitted.map((e) => e.request.callbackId))]);
  // The first request of a new callbackId is planned and stored; a duplicate in the same batch gets its answer.
  const fresh = new Map<string, ActionExecution>();
  for (const e of admitted) if (!known.has(e.request.callbackId) && !fresh.has(e.request.callbackId)) fresh.set(e.request.callbackId, e);
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
export function executionIntake(ctx: AppContext, send: SendJobRef): (execution: ActionExecution) => Promise<AcceptResult> {
  return groupCommit((executions: ActionExecution[]) => acceptBatch(ctx, send, executions), BATCH_LIMIT);
}
