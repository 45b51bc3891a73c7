// The job that makes a portal's LINE contact properties match its connected accounts. It runs here, not in
// properties/, because it reads the accounts and accounts/ already queues provisioning: properties/ stays a
// leaf that is handed the accounts.
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define-job.ts';
import { jobErrorFor } from '../hubspot/portal-client.ts';
import { propertyProvisioning, provisionProperties, type ProvisioningResult } from '../properties/provision-properties.ts';
import { accountNames } from './repository.ts';

export async function provisionPortalProperties(ctx: AppContext, portalId: number): Promise<ProvisioningResult> {
  return provisionProperties(ctx, portalId, await accountNames(ctx, portalId));
}

export const provisionPropertiesJob = defineJob({
  ...propertyProvisioning,
  async run(ctx: AppContext, job) {
    try {
      await provisionPortalProperties(ctx, job.payload.portalId);
    } catch (error) {
      throw jobErrorFor(error);
    }
  },
});
