// Per-request id, lazy child logger, access log and latency metric; and the raw body that signatures are computed over.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      /** The exact bytes received, kept by the JSON parser for signature checks. */
      rawBody?: Buffer;
    }
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The request's id: the caller's x-request-id when it is a plain token, else a new one. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The app's requests get `req.log`: a child logger with the request id, made on first use only, since it costs
 * a pass of the redaction rules over its bindings. A getter on the app's request prototype: defined on each
 * request instead, it turned every request object into a slow dictionary and cost an allocation per request.
 */
export function lazyRequestLoggers(appRequest: object, logger: Logger): void {
  const made = new WeakMap<Request, Logger>();
  Object.defineProperty(appRequest, 'log', {
    configurable: true,
    get(this: Request): Logger {
      let log = made.get(this);
      if (!log) made.set(this, (log = logger.child({ reqId: this.id })));
      return log;
    },
  });
}

/** What every answered request leaves: its latency in the metric and, when info is on, its access log line. */
export function recordRequest(
  logger: Logger,
  metrics: Metrics | undefined,
  log: () => Logger,
  answered: { method: string; route: string; status: number; seconds: number },
): void {
  const { method, route, status, seconds } = answered;
  metrics?.httpDuration.observe({ method, route, status: String(status) }, seconds);
  if (logger.isLevelEnabled('info')) log().info({ method, route, status, ms: Math.round(seconds * 1000) }, 'request');
}

export function requestContext(logger: Logger, metrics?: Metrics): RequestHandler {
  return (req, res, next) => {
    req.id = requestIdFrom(req.get('x-request-id'));
    res.setHeader('x-request-id', req.id);
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      // The route pattern, not the URL, so ids and keys do not explode the label set.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      recordRequest(logger, metrics, () => req.log, { method: req.method, route, status: res.statusCode, seconds });
    });
    next();
  };
}

/** Used as express.json's `verify`: keeps the raw bytes on the request. */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
}
