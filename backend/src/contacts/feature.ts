// LINE user <-> contact links; the job that writes a link made outside inbound processing onto its contact.
import type { Feature } from '../feature.ts';
import { syncLinkJob } from './sync-link-job.ts';

export const contactsFeature: Feature = { name: 'contacts', jobs: [syncLinkJob] };
