// How long and how often a workflow send is retried. Injectable (createWorkflowFeature) so tests run
// the whole retry story in seconds; the defaults are the production policy.

export interface WorkflowTimings {
  /** First retry delay after LINE answered 429/5xx or did not answer; doubles per attempt. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * After this long without getting the message to LINE the execution ends `failed`. It must stay well
   * under the 24 h LINE remembers an X-Line-Retry-Key, or a late retry could deliver a second time.
   */
  retryHorizonMs: number;
  /** Deadline of one LINE request. */
  lineTimeoutMs: number;
  /**
   * Longest an execution waits for others with the same messages: they become due together (send-schedule.ts),
   * so the worker finds them side by side and sends them as one multicast instead of many.
   */
  sendWindowMs: number;
}

export const DEFAULT_TIMINGS: WorkflowTimings = {
  retryBaseMs: 2_000,
  retryMaxMs: 15 * 60_000,
  retryHorizonMs: 12 * 3_600_000,
  lineTimeoutMs: 10_000,
  sendWindowMs: 2_000,
};

/** Exponential backoff with jitter (50-100 % of the ceiling). */
export function retryDelayMs(timings: WorkflowTimings, attempt: number): number {
  const ceiling = Math.min(timings.retryMaxMs, timings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

