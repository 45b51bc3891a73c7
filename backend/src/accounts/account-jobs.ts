// The jobs that belong to one account (the jobs' line_account_id column, set when they are enqueued), as the
// settings page explains them: the dead-lettered ones by what they were for and why they failed, whether a
// retry can succeed now, and the waiting ones while HubSpot's daily limit holds the portal. Also their retry.
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { findPortalRow } from '../hubspot/portals.ts';
import { failureReasonOf, jobKindOf, type FailureReason, type JobKind } from './job-failures.ts';

export interface FailedJobGroup {
  kind: JobKind;
  count: number;
  /** Why the latest of them failed. */
  reason: FailureReason;
  lastFailedAt: number | null;
}

/** What stops a retry from succeeding now: LINE refuses the account's token, or HubSpot the app's authorization. */
export type RetryBlocker = 'line_token' | 'hubspot_authorization';

export interface FailedJobs {
  count: number;
  groups: FailedJobGroup[];
  retryBlockedBy: RetryBlocker | null;
}

/** The account's jobs waiting while HubSpot's daily API limit holds the portal's jobs. */
export interface PausedJobs {
  /** When they resume by themselves (the limit resets). */
  until: number;
  waiting: number;
}

/** What decides about all of a portal's jobs, read once per request. */
export interface PortalJobState {
  /** The latest install or reinstall: HubSpot's refusals before it no longer hold. */
  authorizedAt: number;
  pausedUntil: number | null;
}

export async function portalJobState(ctx: AppContext, portalId: number): Promise<PortalJobState> {
  const [portal, pause] = await Promise.all([findPortalRow(ctx.db, portalId), ctx.queue.pauseOf(portalId)]);
  return { authorizedAt: Number(portal?.authorized_at ?? portal?.installed_at ?? 0), pausedUntil: pause?.until ?? null };
}

/** A retry fails again at once while LINE refuses the token, or while HubSpot's refusal is newer than the last install. */
function retryBlocker(groups: FailedJobGroup[], portal: PortalJobState, tokenValid: boolean | null): RetryBlocker | null {
  if (tokenValid === false) return 'line_token';
  const refusedSinceInstall = groups.some((g) => g.reason === 'hubspot_authorization' && (g.lastFailedAt ?? 0) >= portal.authorizedAt);
  return refusedSinceInstall ? 'hubspot_authorization' : null;
}

/** The account's dead jobs, one group per kind, the kind whose latest failure is newest first. */
export async function accountFailedJobs(ctx: AppContext, portalId: number, accountId: number, portal: PortalJobState, tokenValid: boolean | null): Promise<FailedJobs> {
  const byKind = new Map<JobKind, FailedJobGroup>();
  for (const dead of await ctx.queue.deadByType({ portalId, lineAccountId: accountId })) {
    const kind = jobKindOf(dead.type);
    const group = byKind.get(kind);
    const newer = !group || (dead.lastFailedAt ?? 0) > (group.lastFailedAt ?? 0);
    byKind.set(kind, {
      kind,
      count: (group?.count ?? 0) + dead.count,
      reason: newer ? failureReasonOf(dead.lastError) : group.reason,
      lastFailedAt: newer ? dead.lastFailedAt : group.lastFailedAt,
    });
  }
  const groups = [...byKind.values()].sort((a, b) => (b.lastFailedAt ?? 0) - (a.lastFailedAt ?? 0));
  return { count: groups.reduce((sum, g) => sum + g.count, 0), groups, retryBlockedBy: retryBlocker(groups, portal, tokenValid) };
}

export async function accountPausedJobs(ctx: AppContext, portalId: number, accountId: number, portal: PortalJobState): Promise<PausedJobs | null> {
  if (portal.pausedUntil === null) return null;
  return { until: portal.pausedUntil, waiting: await ctx.queue.countQueued({ portalId, lineAccountId: accountId }) };
}

const RETRY_REFUSALS: Record<RetryBlocker, () => HttpError> = {
  line_token: () => new HttpError(409, 'retry_needs_line_token', 'LINE does not accept this account\'s access token: replace it before retrying'),
  hubspot_authorization: () => new HttpError(409, 'retry_needs_reinstall', 'HubSpot refused the app\'s authorization: a super admin must reinstall the app before retrying'),
};

/** Puts the account's dead jobs back in the queue; returns how many. Refused (409) while they would fail again at once. */
export async function retryAccountDeadJobs(ctx: AppContext, portalId: number, accountId: number, tokenValid: boolean | null): Promise<number> {
  const { retryBlockedBy } = await accountFailedJobs(ctx, portalId, accountId, await portalJobState(ctx, portalId), tokenValid);
  if (retryBlockedBy) throw RETRY_REFUSALS[retryBlockedBy]();
  return ctx.queue.retryDead({ portalId, lineAccountId: accountId });
}
