// One error shape for every response: { "error": { "code", "message" } }, and for a 400 also
// "fields": [{ "path", "message" }] (empty when no single field is to blame). Never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';

/** One invalid input: `path` is the field's dotted path in the body or query (`(body)` for the whole). */
export interface FieldProblem {
  path: string;
  message: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldProblem[];
  constructor(status: number, code: string, message: string, fields?: FieldProblem[]) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export const badRequest = (message: string, fields: FieldProblem[] = []) => new HttpError(400, 'bad_request', message, fields);

/** The problems of a failed zod parse, one per field. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Parses with `schema` or throws a 400 naming every invalid field; nothing has been touched yet. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'Request body'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields = fieldProblems(result.error);
  throw badRequest(`${what} is invalid: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, fields);
}
export const unauthorized = (message = 'Missing or invalid signature') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'Not found') => new HttpError(404, 'not_found', message);

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
  let fields: FieldProblem[] | undefined;
  const bodyError = err as BodyParserError;
  if (err instanceof HttpError) {
    ({ status, code, message, fields } = err);
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
  res.status(status).json({ error: { code, message, ...(status === 400 ? { fields: fields ?? [] } : {}) } });
};
