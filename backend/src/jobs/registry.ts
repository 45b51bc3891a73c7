// Turns the features' job definitions into the worker's handlers: each payload is parsed with its
// definition's schema first; one that does not parse can never succeed and is dead-lettered at once.
import type { AppContext } from '../context.ts';
import { isBatchJob, type JobDefinition } from './define-job.ts';
import { PermanentJobError } from './job-errors.ts';
import type { Job } from './queue.ts';
import type { JobHandlers } from './worker.ts';

function parsed(definition: JobDefinition, job: Job): Job | PermanentJobError {
  const payload = definition.payload.safeParse(job.payload);
  if (payload.success) return { ...job, payload: payload.data };
  return new PermanentJobError(`invalid ${definition.type} payload: ${payload.error.message}`);
}

export function jobHandlers(ctx: AppContext, definitions: JobDefinition[]): JobHandlers {
  const handlers: JobHandlers = {};
  for (const definition of definitions) {
    if (handlers[definition.type]) throw new Error(`job type ${definition.type} is defined twice`);
    if (isBatchJob(definition)) {
      handlers[definition.type] = {
        batch: true,
        batchSize: definition.batchSize,
        async run(jobs) {
          const failures = new Map<number, unknown>();
          const valid: Job[] = [];
          for (const job of jobs) {
            const result = parsed(definition, job);
            if (result instanceof PermanentJobError) failures.set(job.id, result);
            else valid.push(result);
          }
          if (valid.length) for (const [id, error] of (await definition.runBatch(ctx, valid)) ?? []) failures.set(id, error);
          return failures;
        },
      };
    } else {
      handlers[definition.type] = {
        async run(job) {
          const result = parsed(definition, job);
          if (result instanceof PermanentJobError) throw result;
          await definition.run(ctx, result);
        },
      };
    }
  }
  return handlers;
}
