// The jobs that belong to one account: those of its portal whose payload names it (`lineAccountId`).
// Used to show an account's dead-lettered jobs, retry them, and drop its jobs when it is removed.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import type { Job } from '../jobs/queue.ts';

// Enough to find every dead job of an account in any realistic backlog, while keeping the scan bounded.
const DEAD_JOBS_SCANNED = 5_000;

export interface FailedJobView {
  id: number;
  type: string;
  attempts: number;
  lastError: string | null;
}

/** The account a job payload names (as a number or a numeric string), if any. */
function accountIdOf(payload: unknown): number | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const value = (payload as { lineAccountId?: unknown }).lineAccountId;
  const id = typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Dead jobs of the portal, grouped by the account their payload names. */
export async function deadJobsByAccount(ctx: AppContext, portalId: number): Promise<Map<number, Job[]>> {
  const dead = await ctx.queue.listDead({ portalId, limit: DEAD_JOBS_SCANNED });
  const byAccount = new Map<number, Job[]>();
  for (const job of dead) {
    const accountId = accountIdOf(job.payload);
    if (accountId === undefined) continue;
    byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), job]);
  }
  return byAccount;
}

export function failedJobView(job: Job): FailedJobView {
  return { id: job.id, type: job.type, attempts: job.attempts, lastError: job.lastError };
}

/** Puts the account's dead jobs back in the queue; returns how many. */
export async function retryAccountDeadJobs(ctx: AppContext, portalId: number, accountId: number): Promise<number> {
  const dead = await ctx.queue.listDead({ portalId, limit: DEAD_JOBS_SCANNED });
  const ids = dead.filter((job) => accountIdOf(job.payload) === accountId).map((job) => job.id);
  if (ids.length === 0) return 0;
  return ctx.queue.retryDead({ ids, portalId });
}

/**
 * Deletes the account's queued and dead jobs (running ones finish and find the account gone).
 * The LIKE narrows the scan in SQL; the parsed payload decides, so account 1 never matches account 12.
 */
export async function deleteAccountJobs(trx: Knex.Transaction, portalId: number, accountId: number): Promise<number> {
  const candidates = (await trx('jobs')
    .select('id', 'payload')
    .where('portal_id', portalId)
    .whereIn('state', ['queued', 'dead'])
    .andWhere((q) => q.where('payload', 'like', `%"lineAccountId":${accountId}%`).orWhere('payload', 'like', `%"lineAccountId":"${accountId}"%`))) as Array<{ id: number; payload: string }>;
  const ids = candidates.filter((row) => accountIdOf(JSON.parse(row.payload)) === accountId).map((row) => Number(row.id));
  let deleted = 0;
  for (let i = 0; i < ids.length; i += 500) deleted += await trx('jobs').whereIn('id', ids.slice(i, i + 500)).delete();
  return deleted;
}
