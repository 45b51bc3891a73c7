// The accounts feature: the settings page's /api/accounts API, the provisioning
// of the contact properties each connected account writes.
import type { Feature } from '../feature.ts';
import { provisionPropertiesJob } from './provision-properties-job.ts';
import { accountRoutes } from './routes.ts';

export const accountsFeature: Feature = {
  name: 'accounts',
  routes: accountRoutes,
  jobs: [provisionPropertiesJob],
};
