// The jobs that belong to one account (the jobs' line_account_id column, set when they are enqueued):
// the account's dead-lettered jobs for the settings page, their retry, and their removal with the account.
import type { AppContext } from '../context.ts';
import type { Job } from '../jobs/queue.ts';

export interface FailedJobView {
  id: number;
  type: string;
  attempts: number;
  lastError: string | null;
}

export interface FailedJobs {
  count: number;
  recent: FailedJobView[];
}

export function failedJobView(job: Job): FailedJobView {
  return { id: job.id, type: job.type, attempts: job.attempts, lastError: job.lastError };
}

/** How many of the account's jobs are dead-lettered, and the most recent of them. */
export async function accountFailedJobs(ctx: AppContext, portalId: number, accountId: number, recent: number): Promise<FailedJobs> {
  const filter = { portalId, lineAccountId: accountId };
  const [count, latest] = await Promise.all([ctx.queue.countDead(filter), ctx.queue.listDead({ ...filter, limit: recent })]);
  return { count, recent: latest.map(failedJobView) };
}

/** Puts the account's dead jobs back in the queue; returns how many. */
export async function retryAccountDeadJobs(ctx: AppContext, portalId: number, accountId: number): Promise<number> {
  return ctx.queue.retryDead({ portalId, lineAccountId: accountId });
}
