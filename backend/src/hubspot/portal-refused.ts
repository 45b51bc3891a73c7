// What happens when HubSpot refuses a portal's refresh token for good (the app was uninstalled there, or
// the token was revoked): the portal is marked needs_reinstall and its jobs are paused, not retried forever.
// Its data is kept for a grace period, then erased by a delayed job, unless the portal reinstalls first.
// Why a grace period: a refusal is the only uninstall signal we get, and a mistaken one (e.g. tokens
// revoked by an admin who then reinstalls) must not destroy every LINE link and conversation at once.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { z } from 'zod';
import { declareJob, jobOf } from '../jobs/define-job.ts';

export const UNINSTALL_GRACE_MS = 7 * 24 * 3_600_000;
/**
 * The erase after the grace period; the install feature runs it (install/erase-refused-portal-job.ts).
 * refusedAt: status_changed_at of the refusal that scheduled it; a later reinstall (or refusal) supersedes it.
 */
export const eraseRefusedPortal = declareJob({
  type: 'install.erase-refused-portal',
  payload: z.object({ portalId: z.number().int().positive(), refusedAt: z.number().int() }),
});

/** Far enough in the future to mean "until the portal reinstalls" (a reinstall resumes the jobs). */
const PAUSED_UNTIL_REINSTALL_MS = 100 * 365 * 24 * 3_600_000;

/**
 * Marks the portal needs_reinstall if its stored refresh token is still `refusedRefreshToken` (sealed
 * value as stored), so a reinstall that raced with the refusal is never undone. Returns whether it did.
 */
export async function markPortalRefused(
  ctx: AppContext,
  db: Knex | Knex.Transaction,
  portalId: number,
  refusedRefreshToken: string,
  reason: string,
): Promise<boolean> {
  const now = Date.now();
  const changed = await db('portals')
    .where({ portal_id: portalId, refresh_token: refusedRefreshToken, status: 'installed' })
    .update({ status: 'needs_reinstall', status_changed_at: now, status_reason: reason.slice(0, 500), updated_at: now });
  if (changed !== 1) return false;
  const trx = db.isTransaction ? (db as Knex.Transaction) : undefined;
  await ctx.queue.pausePortal(portalId, now + PAUSED_UNTIL_REINSTALL_MS, 'HubSpot refused the refresh token: the app must be reinstalled');
  // Not tied to the portal (no portalId): the portal's jobs are paused and erased, this one must still run.
  await ctx.queue.enqueue(
    jobOf(eraseRefusedPortal, { portalId, refusedAt: now }, { dedupeKey: `${eraseRefusedPortal.type}:${portalId}:${now}`, delayMs: UNINSTALL_GRACE_MS }),
    trx,
  );
  ctx.logger.warn({ portalId, reason }, 'HubSpot refused the refresh token: portal needs reinstall; jobs paused; data is erased after the grace period');
  return true;
}
