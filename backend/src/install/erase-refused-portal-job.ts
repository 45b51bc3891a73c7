// The delayed erase scheduled when HubSpot refused a portal's refresh token (portal-refused.ts): after the
// grace period, a portal still waiting for that reinstall is erased; a reinstall (or a newer refusal,
// which schedules its own erase) makes this job a no-op.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { PermanentJobError } from '../jobs/job-errors.ts';
import type { SingleJobHandler } from '../jobs/worker.ts';
import { findPortalRow } from '../hubspot/portals.ts';
import { erasePortal } from './erase-portal.ts';

const payloadSchema = z.object({ portalId: z.number().int().positive(), refusedAt: z.number().int() });

export function eraseRefusedPortalJob(ctx: AppContext): SingleJobHandler {
  return {
    async run(job) {
      const payload = payloadSchema.safeParse(job.payload);
      if (!payload.success) throw new PermanentJobError(`invalid erase payload: ${payload.error.message}`);
      const { portalId, refusedAt } = payload.data;
      const portal = await findPortalRow(ctx.db, portalId);
      if (!portal || portal.status !== 'needs_reinstall' || Number(portal.status_changed_at) !== refusedAt) {
        ctx.logger.info({ portalId }, 'portal reinstalled (or already erased) within the grace period: nothing to erase');
        return;
      }
      await erasePortal(ctx, portalId);
    },
  };
}
