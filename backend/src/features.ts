// The feature folders the app is composed of. Each may add routes and job handlers; app.ts and main.ts
// read this list, so adding a feature is one line here.
import type { Router } from 'express';
import type { AppContext } from './context.ts';
import type { JobHandlers, Purges } from './jobs/worker.ts';
import { healthRoutes } from './health/routes.ts';
import { accountsFeature } from './accounts/feature.ts';
import { chatFeature } from './chat/feature.ts';
import { inboundFeature } from './inbound/feature.ts';
import { hubspotAppFeature } from './install/feature.ts';
import { keyRotationFeature } from './key-rotation/feature.ts';

export interface Feature {
  name: string;
  /** Routes mounted at the root; each feature chooses its own paths (see the README's HTTP surface). */
  routes?(ctx: AppContext): Router;
  jobs?(ctx: AppContext): JobHandlers;
  /** Runs once when a process starts, in every role, before it serves or works (e.g. to queue a job). */
  onStart?(ctx: AppContext): Promise<void>;
  /** Records the feature keeps only as long as finished jobs, by what they are (see WorkerOptions.purges). */
  purges?(ctx: AppContext): Purges;
}

export const features: Feature[] = [{ name: 'health', routes: healthRoutes }, accountsFeature, chatFeature, hubspotAppFeature, inboundFeature, keyRotationFeature];
