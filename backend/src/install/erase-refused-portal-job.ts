// The delayed erase scheduled when HubSpot refused a portal's refresh token (hubspot/portal-refused.ts): after the
// grace period, a portal still waiting for that reinstall is erased; a reinstall (or a newer refusal,
// which schedules its own erase) makes this job a no-op.
import { eraseRefusedPortal } from '../hubspot/portal-refused.ts';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define-job.ts';
import { findPortalRow } from '../hubspot/portals.ts';
import { erasePortal } from './erase-portal.ts';

export const eraseRefusedPortalJob = defineJob({
  ...eraseRefusedPortal,
  async run(ctx: AppContext, job) {
    const { portalId, refusedAt } = job.payload;
    const portal = await findPortalRow(ctx.db, portalId);
    if (!portal || portal.status !== 'needs_reinstall' || Number(portal.status_changed_at) !== refusedAt) {
      ctx.logger.info({ portalId }, 'portal reinstalled (or already erased) within the grace period: nothing to erase');
      return;
    }
    await erasePortal(ctx, portalId);
  },
});
