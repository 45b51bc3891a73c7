// What a feature folder contributes to the app: its own routes and its own job definitions, nothing of
// another feature's. features.ts lists the features; app.ts mounts the routes, runtime.ts runs the jobs.
import type { Router } from 'express';
import type { AppContext } from './context.ts';
import type { JobDefinition } from './jobs/define-job.ts';

export interface Feature {
  name: string;
  /** Routes mounted at the root; each feature chooses its own paths (see the README's HTTP surface). */
  routes?(ctx: AppContext): Router;
  jobs?: JobDefinition[];
}
