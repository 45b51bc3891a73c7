// One typed error for every failed HubSpot call, whatever produced it (the @hubspot/api-client SDK,
// a plain fetch, a timeout, a refused connection), so the retry policy and the job mapping live in one place.
import { isNetworkError, retryAfterMsOf } from '../http/outbound-errors.ts';

export class HubSpotApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error or timeout). */
  readonly status: number;
  readonly operation: string;
  /** HubSpot's error `category` (VALIDATION_ERROR, RATE_LIMITS, OBJECT_NOT_FOUND …) or, for OAuth errors, its `status` word. */
  readonly category?: string;
  /** HubSpot's `correlationId`: quote it to HubSpot support. */
  readonly correlationId?: string;
  /** For 429s: TEN_SECONDLY_ROLLING, SECONDLY, DAILY … */
  readonly policyName?: string;
  readonly retryAfterMs?: number;
  /** The parsed error body, for callers that need details (e.g. batch `errors[]`, `context`). */
  readonly body?: unknown;

  constructor(init: {
    status: number;
    operation: string;
    message: string;
    category?: string;
    correlationId?: string;
    policyName?: string;
    retryAfterMs?: number;
    body?: unknown;
    cause?: unknown;
  }) {
    const where = init.correlationId ? ` (correlationId ${init.correlationId})` : '';
    super(`HubSpot ${init.operation} failed with ${init.status || 'no response'}${init.category ? ` ${init.category}` : ''}: ${init.message}${where}`, {
      cause: init.cause,
    });
    this.name = 'HubSpotApiError';
    this.status = init.status;
    this.operation = init.operation;
    this.category = init.category;
    this.correlationId = init.correlationId;
    this.policyName = init.policyName;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
  }

  get isRateLimit(): boolean {
    return this.status === 429;
  }

  get isDailyLimit(): boolean {
    return this.status === 429 && this.policyName === 'DAILY';
  }

  /** Worth trying again: no response, a timeout, or a server error. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/**
 * The SDK deserialises error bodies into its `Error` model, which drops fields such as `policyName`.
 * The response middleware in portal-client.ts keeps the raw text here, keyed by the response's headers
 * object (the same object the SDK puts on its ApiException), so concurrent calls never mix bodies up.
 */
export const rawErrorBodies = new WeakMap<object, string>();

interface SdkApiException {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function isSdkApiException(error: unknown): error is SdkApiException {
  return typeof error === 'object' && error !== null && typeof (error as SdkApiException).code === 'number' && 'headers' in error;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function headerValue(headers: Record<string, string> | Headers | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** Builds the typed error from a status, headers and body (SDK exception, fetch Response or OAuth endpoint). */
export function hubSpotErrorFrom(operation: string, status: number, body: unknown, headers?: Record<string, string> | Headers, cause?: unknown): HubSpotApiError {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string) : undefined);
  // OAuth endpoints put their code word (BAD_REFRESH_TOKEN …) in `status`; CRM endpoints use `category`.
  const oauthStatus = text('status') && text('status') !== 'error' ? text('status') : undefined;
  return new HubSpotApiError({
    status,
    operation,
    message: text('message') ?? (typeof body === 'string' && body ? body.slice(0, 300) : `HTTP ${status}`),
    category: oauthStatus ?? text('category'),
    correlationId: text('correlationId') ?? headerValue(headers, 'x-hubspot-correlation-id'),
    policyName: text('policyName'),
    retryAfterMs: retryAfterMsOf(headerValue(headers, 'retry-after')),
    body,
    cause,
  });
}

/**
 * Normalises anything a HubSpot call threw into a HubSpotApiError; returns the error unchanged when it
 * did not come from talking to HubSpot (a bug in the caller must not be retried as if HubSpot failed).
 */
export function toHubSpotApiError(error: unknown, operation: string): unknown {
  if (error instanceof HubSpotApiError) return error;
  if (isSdkApiException(error)) {
    const raw = error.headers ? rawErrorBodies.get(error.headers) : undefined;
    const body = raw !== undefined ? parseJson(raw) : error.body;
    return hubSpotErrorFrom(operation, error.code, body, error.headers, error);
  }
  if (isNetworkError(error)) {
    return new HubSpotApiError({ status: 0, operation, message: error instanceof Error ? error.message : String(error), category: 'NETWORK', cause: error });
  }
  return error;
}

/** For `client.apiRequest(...)` (raw fetch Response, which does not throw on errors): throws HubSpotApiError unless 2xx. */
export async function ensureOk(response: Response, operation: string): Promise<Response> {
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  throw hubSpotErrorFrom(operation, response.status, parseJson(text), response.headers);
}
