// HTTP plumbing shared by all routes: body parsing with LINE's error answers, and response helpers
// that remember what was answered so the recorder can log it.
import type { NextFunction, Request, Response } from 'express';

export interface ErrorDetail {
  message: string;
  property: string;
}

/** Media type of a request without parameters ("application/json; charset=utf-8" → "application/json"). */
export function mediaType(req: Request): string | undefined {
  const ct = req.headers['content-type'];
  return ct ? ct.split(';')[0].trim().toLowerCase() : undefined;
}

/** Parses the raw body (collected by express.raw) by content type; answers LINE's 400 for bad JSON. */
export function parseBody(req: Request, res: Response, next: NextFunction): void {
  const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
  res.locals.rawBody = raw;
  if (!raw || raw.length === 0) {
    req.body = undefined;
    res.locals.requestBody = null;
    return next();
  }
  const text = raw.toString('utf8');
  const type = mediaType(req);
  if (type === 'application/json') {
    try {
      req.body = JSON.parse(text);
      res.locals.requestBody = req.body;
    } catch (e) {
      res.locals.requestBody = text;
      const where = /line (\d+) column (\d+)/.exec(String((e as Error).message));
      const pos = where ? `line: ${where[1]}, column: ${where[2]}` : 'line: 1, column: 1';
      return sendLineError(res, 400, `The request body could not be parsed as JSON (${pos})`);
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    req.body = Object.fromEntries(new URLSearchParams(text));
    res.locals.requestBody = req.body;
  } else {
    req.body = text;
    res.locals.requestBody = text;
  }
  next();
}

/** The JSON object body of a request, or undefined after answering LINE's error for anything else. */
export function jsonBody(req: Request, res: Response): Record<string, unknown> | undefined {
  const type = mediaType(req);
  if (type !== 'application/json') {
    sendLineError(res, 415, `The content type, '${type ?? ''}', is not supported`);
    return undefined;
  }
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    sendLineError(res, 400, 'The request body has 1 error(s)', [{ message: 'must be a JSON object', property: '' }]);
    return undefined;
  }
  return req.body as Record<string, unknown>;
}

/** The form body of a request (LINE Login and token endpoints), or undefined after answering 400. */
export function formBody(req: Request, res: Response): Record<string, string> | undefined {
  if (mediaType(req) !== 'application/x-www-form-urlencoded' || typeof req.body !== 'object' || !req.body) {
    sendOAuthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    return undefined;
  }
  return req.body as Record<string, string>;
}

/**
 * Every answer goes through here. When an `afterProcessing` fault is armed for this request, the
 * route's work is done (messages delivered, keys stored) but the client sees the fault instead.
 */
function answer(res: Response, write: () => void): void {
  const fault = res.locals.afterProcessingFault as FaultAnswer | undefined;
  if (fault) {
    res.locals.afterProcessingFault = undefined;
    answerFault(res, fault);
    return;
  }
  write();
}

export interface FaultAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  hang?: boolean;
}

export const DEFAULT_FAULT_MESSAGES: Record<number, string> = {
  400: 'The request body has 1 error(s)',
  401: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
  403: 'Access to this API is not available for your account',
  404: 'Not found',
  429: 'The API rate limit has been exceeded. Try again later.',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** Answers an injected fault: hang (never answer), or a status with LINE's error body. */
export function answerFault(res: Response, f: FaultAnswer): void {
  if (f.hang) {
    (res.locals.recordHung as (() => void) | undefined)?.();
    return;
  }
  const status = f.status ?? 500;
  const body = f.body !== undefined ? f.body : { message: DEFAULT_FAULT_MESSAGES[status] ?? `HTTP ${status}` };
  res.locals.responseBody = body;
  res.status(status).set(f.headers ?? {}).json(body);
}

export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  answer(res, () => {
    res.locals.responseBody = body;
    res.status(status).set(headers).json(body);
  });
}

export function sendLineError(res: Response, status: number, message: string, details?: ErrorDetail[], extra: Record<string, unknown> = {}): void {
  sendJson(res, status, details && details.length ? { message, details, ...extra } : { message, ...extra });
}

/** LINE's validation error: "The request body has N error(s)" with one detail per problem. */
export function sendValidationErrors(res: Response, details: ErrorDetail[]): void {
  sendLineError(res, 400, `The request body has ${details.length} error(s)`, details);
}

export function sendOAuthError(res: Response, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

export function sendBinary(res: Response, bytes: Buffer, contentType: string): void {
  answer(res, () => {
    res.locals.responseBody = null;
    res.status(200).set('content-type', contentType).set('content-length', String(bytes.length)).end(bytes);
  });
}

export function sendEmpty(res: Response, status: number): void {
  answer(res, () => {
    res.locals.responseBody = null;
    res.status(status).end();
  });
}

export function sendHtml(res: Response, status: number, html: string): void {
  answer(res, () => {
    res.locals.responseBody = html;
    res.status(status).type('html').send(html);
  });
}

export function redirect(res: Response, location: string): void {
  answer(res, () => {
    res.locals.responseBody = null;
    res.status(302).set('location', location).end();
  });
}
