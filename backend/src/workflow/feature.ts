// Workflow actions: the "Send LINE message" step (executions, optionsUrl, sending, completion callbacks).
import type { Feature } from '../feature.ts';
import { workflowActionRoutes } from './action-routes.ts';
import { completeJob } from './complete-job.ts';
import { createSendJob } from './send-job.ts';
import { sendSchedule } from './send-schedule.ts';
import { DEFAULT_TIMINGS, type WorkflowTimings } from './timings.ts';
import { workflowNames } from './workflow-names.ts';

export function createWorkflowFeature(timings: Partial<WorkflowTimings> = {}): Feature {
  const all = { ...DEFAULT_TIMINGS, ...timings };
  const sendJob = createSendJob(all, workflowNames());
  return {
    name: 'workflow',
    routes: (ctx) => workflowActionRoutes(ctx, { job: sendJob, schedule: sendSchedule(all) }),
    jobs: [sendJob, completeJob],
  };
}

export const workflowFeature = createWorkflowFeature();
