// Records every exchange: in `requests` (for tests to inspect) and in the JSONL traffic log that
// spec-check validates against the official OpenAPI specs.
import type { NextFunction, Request, Response } from 'express';
import type { TrafficLog } from '../traffic-log.ts';
import { mediaType } from './http.ts';
import { newRequestId } from './ids.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** 0 when the emulator never answered (hang fault). */
  status: number;
  channelId?: string;
  headers: Record<string, string>;
  body: unknown;
  at: number;
}

export function createRecorder(log: TrafficLog, now: () => number) {
  const requests: RecordedRequest[] = [];

  function middleware(req: Request, res: Response, next: NextFunction): void {
    const at = now();
    // LINE sends a request ID with every answer; a 409 also names the accepted request.
    res.set('x-line-request-id', newRequestId());
    // Mounted middleware strips its prefix from req.path; the log needs the full path.
    const path = new URL(req.originalUrl, 'http://emulator').pathname;
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      requests.push({
        method: req.method,
        path,
        query: { ...(req.query as Record<string, unknown>) },
        status,
        channelId: res.locals.channelId as string | undefined,
        headers,
        body: res.locals.requestBody ?? null,
        at,
      });
      if (status === 0) return;
      log.record({
        service: 'line',
        method: req.method,
        path,
        status,
        requestContentType: mediaType(req),
        requestBody: res.locals.requestBody ?? null,
        responseBody: res.locals.responseBody ?? null,
      });
    };
    // A hung request never finishes: it is recorded (status 0) when the hang starts.
    res.locals.recordHung = () => finish(0);
    res.on('finish', () => finish(res.statusCode));
    res.on('close', () => finish(res.writableFinished ? res.statusCode : 0));
    next();
  }

  return { requests, middleware };
}
