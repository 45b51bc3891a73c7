// One typed error for every failed LINE call, whatever produced it (the SDK's HTTPFetchError, a plain
// fetch, our own deadline, a refused connection), so feature code reads flags instead of SDK internals.
import { HTTPFetchError } from './line-sdk.ts';
import { isNetworkError, retryAfterMsOf } from '../http/outbound-errors.ts';

export interface LineErrorDetail {
  message: string;
  /** The request field LINE objects to (e.g. `messages[0].text`); absent when LINE names none. */
  property?: string;
}

const MONTHLY_LIMIT_MESSAGE = 'You have reached your monthly limit.';

export class LineApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error or timeout). */
  readonly status: number;
  readonly operation: string;
  /** `x-line-request-id`: quote it to LINE support. */
  readonly requestId?: string;
  /** `x-line-accepted-request-id` of a 409: the earlier request that used the same retry key. */
  readonly acceptedRequestId?: string;
  readonly retryAfterMs?: number;
  /** LINE's `message` (or an OAuth endpoint's `error_description`). */
  readonly lineMessage?: string;
  readonly details: LineErrorDetail[];
  readonly statusText?: string;
  /** The parsed error body, for callers that need more (a 409 push carries the original `sentMessages`). */
  readonly body?: unknown;
  /** Set when our own deadline passed before LINE answered. */
  readonly timeoutMs?: number;
  /** For failures without an answer: what went wrong on the way ("fetch failed", "no answer within 8 s"). */
  readonly transportFailure?: string;
  readonly #timedOut: boolean;

  constructor(init: {
    status: number;
    operation: string;
    requestId?: string;
    acceptedRequestId?: string;
    retryAfterMs?: number;
    lineMessage?: string;
    details?: LineErrorDetail[];
    statusText?: string;
    body?: unknown;
    timeoutMs?: number;
    timedOut?: boolean;
    transportFailure?: string;
    cause?: unknown;
  }) {
    super(summaryOf(init), { cause: init.cause });
    this.name = 'LineApiError';
    this.status = init.status;
    this.operation = init.operation;
    this.requestId = init.requestId;
    this.acceptedRequestId = init.acceptedRequestId;
    this.retryAfterMs = init.retryAfterMs;
    this.lineMessage = init.lineMessage;
    this.details = init.details ?? [];
    this.statusText = init.statusText;
    this.body = init.body;
    this.timeoutMs = init.timeoutMs;
    this.transportFailure = init.transportFailure;
    this.#timedOut = init.timedOut === true || init.timeoutMs !== undefined;
  }

  /** Worth trying again: no answer, a timeout, or a server error. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500;
  }

  get isTimeout(): boolean {
    return this.#timedOut;
  }

  /** Too many requests right now; waiting helps (the monthly quota is not this). */
  get isRateLimit(): boolean {
    return this.status === 429 && !this.isQuotaExhausted;
  }

  /** The channel's monthly message quota is used up: retrying before next month sends nothing. */
  get isQuotaExhausted(): boolean {
    return this.status === 429 && this.lineMessage === MONTHLY_LIMIT_MESSAGE;
  }

  /** LINE does not accept the channel access token. */
  get isAuth(): boolean {
    return this.status === 401;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** The retry key was used before: LINE already accepted that request, so it counts as done. */
  get isConflict(): boolean {
    return this.status === 409;
  }
}

function summaryOf(init: { status: number; operation: string; requestId?: string; lineMessage?: string; details?: LineErrorDetail[]; statusText?: string; transportFailure?: string }): string {
  if (init.status === 0) return `LINE ${init.operation} failed with no response: ${init.transportFailure ?? 'unknown failure'}`;
  const details = (init.details ?? []).map((d) => (d.property ? `${d.property}: ${d.message}` : d.message));
  const what = [init.lineMessage ?? (init.statusText || `HTTP ${init.status}`), ...details].join('; ');
  const where = init.requestId ? ` (x-line-request-id ${init.requestId})` : '';
  return `LINE ${init.operation} failed with ${init.status}: ${what}${where}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text || undefined;
  }
}

function detailsOf(value: unknown): LineErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.map((d: { message?: unknown; property?: unknown }) => ({
    message: String(d?.message ?? ''),
    ...(typeof d?.property === 'string' && d.property ? { property: d.property } : {}),
  }));
}

function fromAnswer(error: HTTPFetchError, operation: string): LineApiError {
  const body = parseJson(error.body);
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = [fields.message, fields.error_description].find((m): m is string => typeof m === 'string' && m !== '');
  return new LineApiError({
    status: error.status,
    operation,
    requestId: error.headers.get('x-line-request-id') ?? undefined,
    acceptedRequestId: error.headers.get('x-line-accepted-request-id') ?? undefined,
    retryAfterMs: retryAfterMsOf(error.headers.get('retry-after')),
    lineMessage: message,
    details: detailsOf(fields.details),
    statusText: error.statusText || undefined,
    body,
    cause: error,
  });
}

/**
 * Normalises anything a LINE call threw into a LineApiError; returns the error unchanged when it did not
 * come from talking to LINE (a bug in the caller must not be reported as LINE being down).
 */
export function toLineApiError(error: unknown, operation: string): unknown {
  if (error instanceof LineApiError) return error;
  if (error instanceof HTTPFetchError) return fromAnswer(error, operation);
  if (isNetworkError(error)) {
    const failure = error as Error;
    return new LineApiError({ status: 0, operation, timedOut: failure.name === 'TimeoutError', transportFailure: failure.message, cause: failure });
  }
  return error;
}
