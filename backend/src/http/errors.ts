// One error shape for every response: { "error": { "code", "message" } }, and for a 400 also
// "fields": [{ "path", "message" }] (empty when no single field is to blame). Never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
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

/** What an error answers: an HttpError as it says, a body parser's error as its 4xx, anything else a bare 500. */
export function errorAnswer(err: unknown): { status: number; code: string; message: string; fields?: FieldProblem[] } {
  const bodyError = err as BodyParserError | undefined;
  if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message, fields: err.fields };
  if (bodyError?.type === 'entity.too.large') return { status: 413, code: 'payload_too_large', message: `Request body is larger than ${bodyError.limit ?? 1_048_576} bytes` };
  if (bodyError?.type === 'entity.parse.failed') return { status: 400, code: 'malformed_json', message: 'Request body is not valid JSON' };
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return { status: bodyError.status, code: bodyError.type ?? 'bad_request', message: err instanceof Error ? err.message : 'Bad request' };
  }
  return { status: 500, code: 'internal_error', message: 'Internal server error' };
}

/** The one error shape, as JSON text: `fields` only on a 400. */
export function errorJson(answer: ReturnType<typeof errorAnswer>): string {
  const { status, code, message, fields } = answer;
  return JSON.stringify({ error: { code, message, ...(status === 400 ? { fields: fields ?? [] } : {}) } });
}

/** Logs an error answered: a 5xx with its error (it is ours to fix), a 4xx as information. */
export function logErrorAnswer(log: Logger | undefined, err: unknown, answer: ReturnType<typeof errorAnswer>): void {
  if (answer.status >= 500) log?.error({ err }, 'request failed');
  else log?.info({ code: answer.code, status: answer.status }, answer.message);
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const answer = errorAnswer(err);
  logErrorAnswer(req.log, err, answer);
  if (res.headersSent) return;
  res.status(answer.status).type('json').send(errorJson(answer));
};
