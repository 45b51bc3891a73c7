// LINE group chats as HubSpot companies: the jobs that bring a group's changes and its members to its company.
import type { Feature } from '../feature.ts';
import { groupSyncJob } from './group-sync-job.ts';
import { memberContactJob } from './member-contact-job.ts';

export const groupsFeature: Feature = { name: 'groups', jobs: [groupSyncJob, memberContactJob] };
