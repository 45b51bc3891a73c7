// HubSpot-shaped error bodies and the exception the route handlers throw to produce them.
import { randomUUID } from 'node:crypto';

export interface HubSpotErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<{ message: string; code?: string; in?: string; context?: Record<string, string[]>; subCategory?: string }>;
  links?: Record<string, string>;
  [extra: string]: unknown;
}

/** Thrown by handlers; the server's error middleware turns it into `status` + `body`. */
export class HttpError extends Error {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function errorBody(category: string, message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function hsError(status: number, category: string, message: string, extra: Partial<HubSpotErrorBody> = {}): HttpError {
  return new HttpError(status, errorBody(category, message, extra));
}

export const badRequest = (message: string, extra: Partial<HubSpotErrorBody> = {}) => hsError(400, 'VALIDATION_ERROR', message, extra);

export const notFound = (message: string, extra: Partial<HubSpotErrorBody> = {}) => hsError(404, 'OBJECT_NOT_FOUND', message, extra);

export const conflict = (message: string, extra: Partial<HubSpotErrorBody> = {}) => hsError(409, 'CONFLICT', message, extra);

/** One failed item inside a 207 batch response (`StandardError` in the specs). */
export function standardError(category: string, message: string, context: Record<string, string[]> = {}, status = 'error') {
  return { status, category, message, context, errors: [], links: {} };
}

/** The body a default error of a given HTTP status looks like (used by fault injection). */
export function defaultErrorForStatus(status: number): HubSpotErrorBody {
  if (status === 429) {
    return errorBody('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  }
  if (status === 401) return errorBody('INVALID_AUTHENTICATION', 'Authentication credentials not found.');
  if (status === 403) return errorBody('MISSING_SCOPES', 'This app has not been granted all required scopes to make this call.');
  if (status === 404) return errorBody('OBJECT_NOT_FOUND', 'Resource not found');
  if (status === 409) return errorBody('CONFLICT', 'Conflict');
  if (status >= 500) return errorBody('INTERNAL_ERROR', status === 502 || status === 504 ? 'Bad gateway' : 'internal error');
  return errorBody('VALIDATION_ERROR', `Request failed with status ${status}`);
}
