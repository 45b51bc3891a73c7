// A daily look at every installed portal. HubSpot tells us of an uninstall only by refusing the portal's
// tokens, which we see on the portal's next HubSpot call; a portal whose LINE accounts went quiet would
// never make one, and its data would stay forever. One cheap call a day per portal makes the refusal
// surface (portal-client marks the portal needs_reinstall, and the grace period before erasure starts).
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { ensureOk } from '../hubspot/api-error.ts';
import { hubspotFor, PortalNotInstalledError } from '../hubspot/portal-client.ts';
import { installedPortalIds } from '../hubspot/portals.ts';
import { z } from 'zod';
import { defineJob, jobOf } from '../jobs/define-job.ts';

const DAY_MS = 24 * 3_600_000;

/** Queues the check of UTC day `day` (default: the next midnight); one per day, whoever asks. */
export async function scheduleInstallCheck(ctx: AppContext, trx?: Knex.Transaction, day = Math.floor(Date.now() / DAY_MS) + 1): Promise<void> {
  await ctx.queue.enqueue(
    jobOf(checkInstallsJob, { day }, { dedupeKey: `${checkInstallsJob.type}:${day}`, runAt: day * DAY_MS }),
    trx,
  );
}

export const checkInstallsJob = defineJob({
  type: 'install.check-installs',
  /** day: days since the epoch (UTC) of the midnight this check is for. */
  payload: z.object({ day: z.number().int().nonnegative() }),
  async run(ctx: AppContext, job) {
    const portalIds = await installedPortalIds(ctx.db);
    for (const portalId of portalIds) {
      try {
        const hs = await hubspotFor(ctx, portalId);
        await hs.call('account-info.details', async (client) => ensureOk(await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' }), 'account-info.details'));
      } catch (error) {
        // A refused portal is handled where the refusal is seen; anything else waits for tomorrow's check.
        if (error instanceof PortalNotInstalledError) ctx.logger.warn({ portalId }, 'daily install check: the app is no longer installed in this portal');
        else ctx.logger.warn({ portalId, err: error }, 'daily install check could not reach HubSpot for this portal');
      }
    }
    if (portalIds.length) await scheduleInstallCheck(ctx, undefined, job.payload.day + 1);
  },
});
