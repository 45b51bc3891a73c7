// The workflow_executions table: one row per HubSpot callbackId. Only this feature touches it.
import type { Knex } from 'knex';
import type { LineMessage } from '../line/line-channel.ts';
import type { AppContext } from '../context.ts';
import type { ObjectValues, TokenObject } from './object-tokens.ts';
import type { Delivery, Outcome } from './outputs.ts';

export type ExecutionState = 'queued' | Delivery;

export interface Execution {
  id: number;
  portalId: number;
  callbackId: string;
  lineAccountId: number | null;
  /** What the workflow enrolled: a contact (sent to its LINE user) or a company (sent to its LINE group). */
  objectType: TokenObject;
  objectId: number;
  workflowId: number | null;
  messages: LineMessage[];
  /** Values HubSpot sent for the properties the messages' tokens need; null when there is nothing to render. */
  objectValues: ObjectValues | null;
  /** The LINE user or group the messages go to. */
  recipientId: string | null;
  state: ExecutionState;
  lineError: string | null;
  sendKey: string | null;
  firstFailureAt: number | null;
  createdAt: number;
  completedAt: number | null;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function executionFromRow(row: Row): Execution {
  return {
    id: Number(row.id),
    portalId: Number(row.portal_id),
    callbackId: String(row.callback_id),
    lineAccountId: num(row.line_account_id),
    objectType: String(row.object_type) as TokenObject,
    objectId: Number(row.object_id),
    workflowId: num(row.workflow_id),
    messages: JSON.parse(String(row.messages)) as LineMessage[],
    objectValues: row.object_values ? (JSON.parse(String(row.object_values)) as ObjectValues) : null,
    recipientId: (row.line_recipient_id as string | null) ?? null,
    state: String(row.state) as ExecutionState,
    lineError: (row.line_error as string | null) ?? null,
    sendKey: (row.send_key as string | null) ?? null,
    firstFailureAt: num(row.first_failure_at),
    createdAt: Number(row.created_at),
    completedAt: num(row.completed_at),
  };
}

export const outcomeOf = (e: Execution): Outcome | undefined => (e.state === 'queued' ? undefined : { delivery: e.state, error: e.lineError });

/** An execution as the route stores it; `outcome` when known at once (not linked, blocked, invalid step): stored final, answered in the response itself. */
export type NewExecution = Pick<Execution, 'portalId' | 'callbackId' | 'lineAccountId' | 'objectType' | 'objectId' | 'workflowId' | 'messages' | 'recipientId'> & { outcome?: Outcome; objectValues?: ObjectValues | null };

/**
 * Stores the executions whose callbackId is not stored yet (one statement per 200); answers the id of
 * each execution this call stored, by callbackId. One stored meanwhile (another process) is left as it is.
 */
export async function insertExecutions(trx: Knex, executions: NewExecution[], now: number): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  for (let i = 0; i < executions.length; i += 200) {
    const rows = executions.slice(i, i + 200).map((e) => ({
      portal_id: e.portalId,
      callback_id: e.callbackId,
      line_account_id: e.lineAccountId,
      object_type: e.objectType,
      object_id: e.objectId,
      workflow_id: e.workflowId,
      messages: JSON.stringify(e.messages),
      object_values: e.objectValues ? JSON.stringify(e.objectValues) : null,
      line_recipient_id: e.recipientId,
      state: e.outcome?.delivery ?? 'queued',
      line_error: e.outcome?.error ?? null,
      created_at: now,
      updated_at: now,
      completed_at: e.outcome ? now : null,
    }));
    const inserted = (await trx('workflow_executions').insert(rows).onConflict('callback_id').ignore().returning(['id', 'callback_id'])) as Row[];
    for (const row of inserted) stored.set(String(row.callback_id), Number(row.id));
  }
  return stored;
}

export async function findExecutions(ctx: AppContext, callbackIds: string[]): Promise<Map<string, Execution>> {
  const found = new Map<string, Execution>();
  for (let i = 0; i < callbackIds.length; i += 500) {
    const rows = (await ctx.db('workflow_executions').whereIn('callback_id', callbackIds.slice(i, i + 500))) as Row[];
    for (const row of rows) found.set(String(row.callback_id), executionFromRow(row));
  }
  return found;
}

export async function loadExecutions(ctx: AppContext, ids: number[]): Promise<Execution[]> {
  if (ids.length === 0) return [];
  const rows = (await ctx.db('workflow_executions').whereIn('id', ids)) as Row[];
  return rows.map(executionFromRow);
}

/**
 * Fixes the request that carries each execution, on those that have none yet (one statement per 500): its
 * X-Line-Retry-Key and the messages as rendered for its records (identical for every execution of a request).
 */
export async function setSendKeys(ctx: AppContext, sends: Array<{ key: string; messages: LineMessage[]; executionIds: number[] }>): Promise<void> {
  for (const send of sends) {
    for (let i = 0; i < send.executionIds.length; i += 500) {
      await ctx.db('workflow_executions')
        .whereIn('id', send.executionIds.slice(i, i + 500))
        .where({ state: 'queued' })
        .whereNull('send_key')
        .update({ send_key: send.key, messages: JSON.stringify(send.messages) });
    }
  }
}
/** Ends the queued ones among these executions with the outcome; answers the ids it ended (a concurrent worker may have ended others). */
export async function finishExecutions(trx: Knex, ids: number[], outcome: Outcome, now: number): Promise<Set<number>> {
  const finished = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await trx('workflow_executions')
      .whereIn('id', ids.slice(i, i + 500))
      .where({ state: 'queued' })
      .update({ state: outcome.delivery, line_error: outcome.error, updated_at: now })
      .returning('id')) as Row[];
    for (const row of rows) finished.add(Number(row.id));
  }
  return finished;
}

export async function noteTransientFailure(ctx: AppContext, ids: number[], now: number): Promise<void> {
  await ctx.db('workflow_executions').whereIn('id', ids).whereNull('first_failure_at').update({ first_failure_at: now, updated_at: now });
}

export async function markCompleted(ctx: AppContext, ids: number[], now: number): Promise<void> {
  await ctx.db('workflow_executions').whereIn('id', ids).update({ completed_at: now, updated_at: now });
}
