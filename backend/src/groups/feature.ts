// LINE group chats as HubSpot companies: the job that brings a group's changes to its company.
import type { Feature } from '../feature.ts';
import { groupSyncJob } from './group-sync-job.ts';

export const groupsFeature: Feature = { name: 'groups', jobs: [groupSyncJob] };
