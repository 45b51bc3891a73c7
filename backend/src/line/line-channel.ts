// ─────────────────────────────────────────────────────────────────────────────────────────────────────
// THE way features call the LINE Messaging API for one channel:
//
//   const line = lineChannel(ctx.config, account.channelAccessToken);
//   const profile = await line.call('profile', (c) => c.messaging.getProfile(userId), { timeoutMs: 3_000 });
//
// `c` holds the official @line/bot-sdk clients (messaging, blob) pointed at the configured base URLs.
// Make ONE LINE request per `call`. Around it, `call`:
// - applies the deadline when `timeoutMs` is given (interactive callers: someone waits for the answer);
//   background jobs pass none, their job lease bounds them;
// - throws LineApiError { status, requestId, retryAfterMs, lineMessage, details, flags such as isTransient,
//   isRateLimit, isQuotaExhausted, isAuth, isNotFound, isConflict } for every failure of the call
//   (errors of the caller's own code are rethrown unchanged).
// Nothing is retried here: a push may only be repeated with its X-Line-Retry-Key, and what to do on a
// failure (fall back to push, mark a message failed, retry a job) is the feature's decision.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
import type { Config } from '../config.ts';
import { lineClients, type LineClients } from './clients.ts';
import { withDeadline } from './deadline.ts';
import { toLineApiError } from './line-api-error.ts';

export { LineApiError } from './line-api-error.ts';
export type { LineClients, LineMessage } from './clients.ts';

export interface LineCallOptions {
  /** How long the caller can wait for LINE's answer; without it the call waits as long as LINE takes. */
  timeoutMs?: number;
}

export interface LineChannel {
  call<T>(operation: string, fn: (clients: LineClients) => Promise<T>, options?: LineCallOptions): Promise<T>;
}

/** Runs one LINE request with the deadline applied and its failure converted to LineApiError. */
export async function callLine<T>(operation: string, fn: () => Promise<T>, options: LineCallOptions = {}): Promise<T> {
  try {
    return options.timeoutMs === undefined ? await fn() : await withDeadline(operation, options.timeoutMs, fn);
  } catch (error) {
    throw toLineApiError(error, operation);
  }
}

export function lineChannel(config: Config, channelAccessToken: string): LineChannel {
  const clients = lineClients(config, channelAccessToken);
  return {
    call: (operation, fn, options) => callLine(operation, () => fn(clients), options),
  };
}
