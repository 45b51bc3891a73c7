// LINE message content: downloaded by a job, served by signed, expiring URLs.
import type { Feature } from '../feature.ts';
import { fetchMediaJob } from './fetch-media-job.ts';
import { mediaRoutes } from './media-route.ts';

export const mediaFeature: Feature = { name: 'media', routes: mediaRoutes, jobs: [fetchMediaJob] };
