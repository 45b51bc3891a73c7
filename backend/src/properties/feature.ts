// The LINE contact properties the app keeps in each portal (group, per-account properties), provisioned by a job.
import type { Feature } from '../feature.ts';
import { provisionPropertiesJob } from './provision-properties.ts';

export const propertiesFeature: Feature = { name: 'properties', jobs: [provisionPropertiesJob] };
