// Routes answered on node:http itself, before Express, for requests that must cost almost nothing: LINE's
// webhook, which a busy account sends thousands of times a second. Express's request setup, middleware and
// router walk took about a third of such a request's CPU (npm run bench). A fast route still gets what every
// Express route gets: a request id, the nosniff header, the latency metric and access log, a JSON body of at
// most BODY_LIMIT_BYTES decoded from its charset (415 when it is not sent as JSON), and errors in the one
// error shape (errors.ts).
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppContext } from '../context.ts';
import { errorAnswer, errorJson, HttpError, logErrorAnswer } from './errors.ts';
import { recordRequest, requestIdFrom } from './request-context.ts';

/** The largest request body the backend reads, on every route. */
export const BODY_LIMIT_BYTES = 1_048_576;

export interface FastRequest {
  /** The path after the route's prefix, without the query string and a trailing slash, percent-decoded. */
  rest: string;
  headers: IncomingHttpHeaders;
  /** The body's bytes as received: what signatures are computed over. */
  raw: Buffer;
  /** The body as JSON text, decoded from its charset. */
  text: string;
  /** The body parsed. */
  body: unknown;
  /** The request's logger, with its id. */
  log(): Logger;
}

export interface FastRoute {
  method: string;
  /** The route answers every request of its method whose path starts with this. */
  prefix: string;
  /** The route as the latency metric and the access log name it, e.g. /line/webhook/:webhookKey. */
  pattern: string;
  /** Answers a status with its JSON text, or throws an HttpError. */
  handle(request: FastRequest): Promise<{ status: number; json: string }>;
}

/** The server's request listener: fast routes first, every other request to `app`. */
export function withFastRoutes(ctx: Pick<AppContext, 'logger' | 'metrics'>, routes: FastRoute[], app: RequestListener): RequestListener {
  if (routes.length === 0) return app;
  return (req, res) => {
    const route = routes.find((r) => r.method === req.method && req.url?.startsWith(r.prefix));
    if (route) void serve(ctx, route, req, res);
    else app(req, res);
  };
}

async function serve(ctx: Pick<AppContext, 'logger' | 'metrics'>, route: FastRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const id = requestIdFrom(req.headers['x-request-id']);
  let logger: Logger | undefined;
  // A child logger costs a pass of the redaction rules over its bindings: made only for a request that logs.
  const log = () => (logger ??= ctx.logger.child({ reqId: id }));
  let answer: { status: number; json: string };
  try {
    const raw = await readBody(req);
    const text = jsonText(raw, req.headers['content-type']);
    answer = await route.handle({ rest: restOf(route, req.url ?? ''), headers: req.headers, raw, text, body: parseJson(text), log });
  } catch (error) {
    const failed = errorAnswer(error);
    logErrorAnswer(log(), error, failed);
    answer = { status: failed.status, json: errorJson(failed) };
    // A body left unread (too large, or cut off) is not read on: the connection closes after this answer.
    if (!req.complete) res.shouldKeepAlive = false;
  }
  res.statusCode = answer.status;
  res.setHeader('x-request-id', id);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(answer.json);
  recordRequest(ctx.logger, ctx.metrics, log, { method: route.method, route: route.pattern, status: answer.status, seconds: (performance.now() - started) / 1000 });
}

function restOf(route: FastRoute, url: string): string {
  const query = url.indexOf('?');
  let rest = (query === -1 ? url : url.slice(0, query)).slice(route.prefix.length);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  try {
    return decodeURIComponent(rest);
  } catch {
    throw new HttpError(400, 'bad_request', 'The path is not valid percent-encoding');
  }
}

/** The body's bytes; 413 past the limit (announced or sent), 400 when the client stops sending it. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `Request body is larger than ${BODY_LIMIT_BYTES} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = (error: HttpError) => {
      req.removeAllListeners('data');
      req.pause();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > BODY_LIMIT_BYTES) stop(tooLarge());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)));
    req.on('aborted', () => stop(new HttpError(400, 'request_aborted', 'The request was aborted before its body was complete')));
    req.on('error', () => stop(new HttpError(400, 'request_aborted', 'The request was aborted before its body was complete')));
  });
}

const UTF16 = new Set(['utf-16le', 'utf-16be', 'utf-16']);

/** The body as JSON text, decoded from UTF-8 or UTF-16; 415 for another media type or charset. */
function jsonText(raw: Buffer, contentType: string | undefined): string {
  const [type, ...parameters] = (contentType ?? '').split(';');
  if (type.trim().toLowerCase() !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'The body must be sent as application/json');
  const charset = parameters
    .map((p) => p.trim().split('='))
    .find(([name]) => name.toLowerCase() === 'charset')?.[1]
    ?.replace(/"/g, '')
    .toLowerCase();
  let text: string;
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') text = raw.toString('utf8');
  else if (UTF16.has(charset)) text = new TextDecoder(charset).decode(raw);
  else throw new HttpError(415, 'charset.unsupported', `unsupported charset "${charset.toUpperCase()}"`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'Request body is not valid JSON');
  }
}
