// Asks for the contact properties of a newly connected account (line_user_id_N, ...) to be created in
// HubSpot. The install feature owns the job that does it; this only enqueues it, in the caller's transaction,
// so an account never exists without its provisioning request.
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';

export const PROVISION_PROPERTIES_JOB = 'hubspot.provision-properties';

export async function requestPropertyProvisioning(ctx: AppContext, portalId: number, trx?: Knex.Transaction): Promise<void> {
  await ctx.queue.enqueue({ type: PROVISION_PROPERTIES_JOB, payload: { portalId }, portalId }, trx);
}
