// The typed job registry: a job type is defined once, with the schema of its payload and its handler, and
// both enqueueing and running are typed from that one definition. The worker parses every payload with
// the schema before the handler sees it, so handlers never cast and a malformed payload is dead-lettered.
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { Job, NewJob } from './queue.ts';

/**
 * A job type and its payload, without its handler: what code needs to enqueue a job that another folder
 * runs (the platform adapter schedules an erase that the install feature carries out). The handler's
 * definition spreads the declaration: defineJob({ ...declared, run }).
 */
export interface JobDeclaration<S extends z.ZodType> {
  type: string;
  payload: S;
}

export function declareJob<S extends z.ZodType>(declaration: JobDeclaration<S>): JobDeclaration<S> {
  return declaration;
}

type JobDefinitionBase<S extends z.ZodType> = JobDeclaration<S>;

/** Runs one job at a time; a thrown error is the job's failure (see job-errors.ts for retry control). */
export interface SingleJobDefinition<S extends z.ZodType = z.ZodType> extends JobDefinitionBase<S> {
  run(ctx: AppContext, job: Job<z.infer<S>>): Promise<void>;
}

/** Takes up to `batchSize` due jobs at once; answers the failures by job id (an absent id succeeded). */
export interface BatchJobDefinition<S extends z.ZodType = z.ZodType> extends JobDefinitionBase<S> {
  batchSize: number;
  runBatch(ctx: AppContext, jobs: Array<Job<z.infer<S>>>): Promise<Map<number, unknown> | void>;
}

export type JobDefinition<S extends z.ZodType = z.ZodType> = SingleJobDefinition<S> | BatchJobDefinition<S>;

export function defineJob<S extends z.ZodType>(definition: SingleJobDefinition<S>): SingleJobDefinition<S>;
export function defineJob<S extends z.ZodType>(definition: BatchJobDefinition<S>): BatchJobDefinition<S>;
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

export function isBatchJob(definition: JobDefinition): definition is BatchJobDefinition {
  return 'runBatch' in definition;
}

export interface JobOptions {
  /** The portal the job works for: lets the portal be paused (HubSpot DAILY limit) or erased. */
  portalId?: number;
  /** The LINE account the job works for: the account's health, retry and removal find its jobs by it. */
  lineAccountId?: number;
  /** Jobs with the same partition key run one at a time, in the order they were enqueued. */
  partitionKey?: string;
  /** A job whose dedupe key already exists is not enqueued again. */
  dedupeKey?: string;
  delayMs?: number;
  /** Run at this epoch millisecond instead of after `delayMs` (a schedule kept exactly, whenever it is enqueued). */
  runAt?: number;
  maxAttempts?: number;
}

/** A job of this definition, ready for JobQueue.enqueue/enqueueMany; the payload is checked against the schema. */
export function jobOf<S extends z.ZodType>(definition: JobDeclaration<S>, payload: z.input<S>, options: JobOptions = {}): NewJob {
  return { type: definition.type, payload: definition.payload.parse(payload), ...options };
}
