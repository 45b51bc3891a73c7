// workflow.complete { executionId }: hands finished executions back to HubSpot through the callback API,
// up to 100 per call (HubSpot's batch limit), with the outputs a workflow branches on.
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { ensureOk, hubspotFor, jobErrorFor } from '../hubspot/portal-client.ts';
import { defineJob } from '../jobs/define-job.ts';
import { loadExecutions, markCompleted, outcomeOf } from './executions.ts';
import { outputFieldsOf } from './outputs.ts';

export const COMPLETE_BATCH_LIMIT = 100;

export const completeJob = defineJob({
  type: 'workflow.complete',
  payload: z.object({ executionId: z.number().int().positive() }),
  batchSize: COMPLETE_BATCH_LIMIT,
  async runBatch(ctx: AppContext, jobs) {
    const jobOfExecution = new Map(jobs.map((job) => [job.payload.executionId, job]));
    const executions = (await loadExecutions(ctx, [...jobOfExecution.keys()])).filter((e) => e.completedAt === null && outcomeOf(e));
    const byPortal = new Map<number, typeof executions>();
    for (const e of executions) byPortal.set(e.portalId, [...(byPortal.get(e.portalId) ?? []), e]);
    const failures = new Map<number, unknown>();
    for (const [portalId, list] of byPortal) {
      const inputs = list.map((e) => ({ callbackId: e.callbackId, outputFields: outputFieldsOf(outcomeOf(e)!), typedOutputs: {} }));
      try {
        const hubspot = await hubspotFor(ctx, portalId);
        // Raw request: the SDK's model drops typedOutputs, which HubSpot's schema requires.
        const operation = 'automation.callbacks.completeBatch';
        await hubspot.call(operation, async (client) => ensureOk(await client.apiRequest({ method: 'POST', path: '/automation/v4/actions/callbacks/complete', body: { inputs } }), operation));
        await markCompleted(ctx, list.map((e) => e.id), Date.now());
      } catch (error) {
        for (const e of list) {
          const job = jobOfExecution.get(e.id)!;
          failures.set(job.id, jobErrorFor(error));
        }
      }
    }
    return failures;
  },
});
