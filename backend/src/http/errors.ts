// One error shape for every response: { "error": { "code", "message" } }. Never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Missing or invalid signature') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'Not found') => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500;
  let code = 'internal_error';
  let message = 'Internal server error';
  let details: unknown;
  const bodyError = err as BodyParserError;
  if (err instanceof HttpError) {
    ({ status, code, message, details } = err);
  } else if (bodyError?.type === 'entity.too.large') {
    status = 413;
    code = 'payload_too_large';
    message = `Request body is larger than ${bodyError.limit ?? 1_048_576} bytes`;
  } else if (bodyError?.type === 'entity.parse.failed') {
    status = 400;
    code = 'malformed_json';
    message = 'Request body is not valid JSON';
  } else if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    status = bodyError.status;
    code = bodyError.type ?? 'bad_request';
    message = err instanceof Error ? err.message : 'Bad request';
  }
  if (status >= 500) req.log?.error({ err }, 'request failed');
  else req.log?.info({ code, status }, message);
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
};
