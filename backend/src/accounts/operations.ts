// The account_operations table: settings-page operations that run longer than a hubspot.fetch may wait,
// and their progress as the page polls it. Every lookup is scoped by portal.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';

export type OperationKind = 'connect' | 'update' | 'webhook_test' | 'health_check';
export type OperationState = 'running' | 'succeeded' | 'failed';
/** What a running operation is doing now, for the page's progress indicator. */
export type OperationStep = 'checking_credentials' | 'setting_webhook' | 'testing_webhook' | 'checking_accounts';

export interface OperationFailure {
  status: number;
  code: string;
  message: string;
}

export interface AccountOperation {
  id: string;
  portalId: number;
  lineAccountId: number | null;
  kind: OperationKind;
  state: OperationState;
  step: OperationStep | null;
  done: number;
  total: number;
  error: OperationFailure | null;
  result: unknown;
  deadlineAt: number;
  createdAt: number;
  updatedAt: number;
}

/** Operations are kept this long after their last change, for a page that polls late; older ones go when the portal starts another. */
const FINISHED_KEPT_MS = 24 * 3_600_000;

type Row = Record<string, unknown>;

function fromRow(row: Row): AccountOperation {
  const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : null);
  return {
    id: String(row.id),
    portalId: Number(row.portal_id),
    lineAccountId: row.line_account_id === null || row.line_account_id === undefined ? null : Number(row.line_account_id),
    kind: String(row.kind) as OperationKind,
    state: String(row.state) as OperationState,
    step: (row.step as OperationStep | null) ?? null,
    done: Number(row.done),
    total: Number(row.total),
    error: json(row.error) as OperationFailure | null,
    result: json(row.result),
    deadlineAt: Number(row.deadline_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface NewOperation {
  portalId: number;
  lineAccountId: number | null;
  kind: OperationKind;
  step: OperationStep;
  total: number;
  budgetMs: number;
}

export async function insertOperation(ctx: AppContext, o: NewOperation): Promise<AccountOperation> {
  const now = Date.now();
  await ctx.db('account_operations').where({ portal_id: o.portalId }).where('updated_at', '<', now - FINISHED_KEPT_MS).delete();
  const row = {
    id: randomUUID(),
    portal_id: o.portalId,
    line_account_id: o.lineAccountId,
    kind: o.kind,
    state: 'running',
    step: o.step,
    done: 0,
    total: o.total,
    deadline_at: now + o.budgetMs,
    created_at: now,
    updated_at: now,
  };
  await ctx.db('account_operations').insert(row);
  return fromRow(row);
}

export async function findOperation(ctx: AppContext, portalId: number, id: string): Promise<AccountOperation | undefined> {
  const row = await ctx.db('account_operations').where({ portal_id: portalId, id }).first();
  return row ? fromRow(row) : undefined;
}

/** The portal's operation of this kind (and account) that is still running within its deadline, if any. */
export async function findRunningOperation(ctx: AppContext, portalId: number, kind: OperationKind, lineAccountId: number | null): Promise<AccountOperation | undefined> {
  const row = await ctx
    .db('account_operations')
    .where({ portal_id: portalId, kind, state: 'running', line_account_id: lineAccountId })
    .where('deadline_at', '>', Date.now())
    .orderBy('created_at', 'desc')
    .first();
  return row ? fromRow(row) : undefined;
}

/** The portal's most recent health check that finished. */
export async function latestFinishedHealthCheck(ctx: AppContext, portalId: number): Promise<AccountOperation | undefined> {
  const row = await ctx.db('account_operations').where({ portal_id: portalId, kind: 'health_check', state: 'succeeded' }).orderBy('updated_at', 'desc').first();
  return row ? fromRow(row) : undefined;
}

export interface OperationChanges {
  state?: OperationState;
  step?: OperationStep | null;
  done?: number;
  lineAccountId?: number;
  error?: OperationFailure;
  result?: unknown;
}

export async function updateOperation(ctx: AppContext, portalId: number, id: string, changes: OperationChanges): Promise<void> {
  const row: Row = { updated_at: Date.now() };
  if (changes.state !== undefined) row.state = changes.state;
  if (changes.step !== undefined) row.step = changes.step;
  if (changes.done !== undefined) row.done = changes.done;
  if (changes.lineAccountId !== undefined) row.line_account_id = changes.lineAccountId;
  if (changes.error !== undefined) row.error = JSON.stringify(changes.error);
  if (changes.result !== undefined) row.result = JSON.stringify(changes.result);
  await ctx.db('account_operations').where({ portal_id: portalId, id }).update(row);
}
