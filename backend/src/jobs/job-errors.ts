// How a job handler tells the queue what to do with a failure.
import { DEFAULT_TIMINGS } from '../timings.ts';

/** The job can never succeed (bad payload, object deleted): dead-letter it now, without more attempts. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/**
 * Run the job again after `delayMs`, or without it after the queue's backoff. With `countAttempt: false`
 * the attempt is given back: used when the job did not really fail (a rate limit said "wait", a portal is
 * paused), so waiting never dead-letters it.
 */
export class RetryJobError extends Error {
  readonly delayMs: number | undefined;
  readonly countAttempt: boolean;
  constructor(message: string, options: { delayMs?: number; countAttempt?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RetryJobError';
    this.delayMs = options.delayMs;
    this.countAttempt = options.countAttempt ?? true;
  }
}

/** Exponential backoff with jitter: `baseMs` (1 s), twice that, four times … capped at one hour, each randomised to 50–100 %. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, baseMs = DEFAULT_TIMINGS.jobs.backoffBaseMs): number {
  const ceiling = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  return String(error).slice(0, 2000);
}
