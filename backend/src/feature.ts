// What a feature folder contributes to the app: its own routes and its own job definitions, nothing of
// another feature's. features.ts lists the features; app.ts mounts the routes, runtime.ts runs the jobs.
import type { Router } from 'express';
import type { AppContext } from './context.ts';
import type { FastRoute } from './http/fast-routes.ts';
import type { JobDefinition } from './jobs/define-job.ts';
import type { Feeds, Purges } from './jobs/worker.ts';

export interface Feature {
  name: string;
  /** Routes mounted at the root; each feature chooses its own paths (see the README's HTTP surface). */
  routes?(ctx: AppContext): Router;
  /** Routes answered before Express, for the few requests that must cost almost nothing (http/fast-routes.ts). */
  fastRoutes?(ctx: AppContext): FastRoute[];
  jobs?: JobDefinition[];
  /** Runs once when a process starts, in every role, before it serves or works (e.g. to queue a job). */
  onStart?(ctx: AppContext): Promise<void>;
  /** Records the feature keeps only as long as finished jobs, by what they are (see WorkerOptions.purges). */
  purges?(ctx: AppContext): Purges;
  /** What turns the feature's stored records into jobs, by what it feeds (see WorkerOptions.feeds). */
  feeds?(ctx: AppContext): Feeds;
}
