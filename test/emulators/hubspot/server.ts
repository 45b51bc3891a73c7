// Express composition: recording, body parsing, fault injection, authentication, rate limits, routes, errors.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { TrafficLog } from '../traffic-log.ts';
import { associationRoutes } from './associations.ts';
import { identify } from './auth.ts';
import { automationRoutes } from './automation.ts';
import { crmBatchRoutes } from './crm-batch.ts';
import { crmMergeRoutes } from './crm-merge.ts';
import { crmObjectRoutes } from './crm-objects.ts';
import { defaultErrorForStatus, errorBody, HttpError } from './errors.ts';
import type { FaultInjector, FaultSpec } from './faults.ts';
import { oauthRoutes } from './oauth-routes.ts';
import type { AuthorizePlan } from './oauth-routes.ts';
import { ownerListRoutes } from './owners-lists.ts';
import { propertyRoutes } from './properties.ts';
import type { RateLimiter } from './rate-limit.ts';
import { searchRoutes } from './search.ts';
import type { EmulatorState } from './state.ts';
import { timelineRoutes } from './timeline.ts';
import { userRoutes } from './users.ts';
import { fileRoutes } from './files.ts';

const API_PREFIXES = ['/crm/', '/integrators/', '/automation/', '/account-info/', '/appinstalls/', '/settings/', '/files/'];
const isApiPath = (path: string) => API_PREFIXES.some((p) => path.startsWith(p));
const isSearchPath = (path: string) => /^\/crm\/v3\/objects\/[^/]+\/search\/?$/.test(path);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ServerDeps {
  state: EmulatorState;
  traffic: TrafficLog;
  faults: FaultInjector;
  limiter: RateLimiter;
  plans: AuthorizePlan[];
  /** The /_emulator control routes, filled in once the emulator is composed (they read the whole emulator). */
  control: express.Router;
}

export function createApp({ state, traffic, faults, limiter, plans, control }: ServerDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Before the recorder: control calls are not HubSpot traffic and stay out of the calls list and the spec-checked log.
  app.use('/_emulator', control);

  // Record every exchange (calls list + traffic log) once the response is finished.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      res.locals.responseBody = body;
      return json(body);
    };
    res.on('finish', () => {
      const path = req.path;
      state.calls.push({ portalId: res.locals.portalId, method: req.method, path, status: res.statusCode, at: state.clock.now() });
      const contentType = req.headers['content-type']?.split(';')[0].trim();
      traffic.record({
        service: 'hubspot',
        method: req.method,
        path,
        status: res.statusCode,
        ...(contentType ? { requestContentType: contentType } : {}),
        requestBody: req.body === undefined ? null : req.body,
        responseBody: res.locals.responseBody ?? null,
      });
    });
    next();
  });

  app.use(express.json({ limit: '20mb', type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));

  // Who is calling (without refusing yet), then injected faults, then authentication and rate limits.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const api = isApiPath(req.path);
    const who = api ? identify(state, req.headers.authorization) : {};
    res.locals.portalId = who.portalId;
    const fault = faults.take(req.method, req.path, who.portalId);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.holdUntil) await fault.holdUntil().catch(() => undefined);
      if (fault.omitProperties) omitFromAnswer(res, fault.omitProperties);
      if (fault.afterProcessing) loseAnswer(res, fault);
      else if (fault.hang) return; // never answers; the client has to time out
      else if (fault.status !== undefined) {
        res.status(fault.status).set(fault.headers ?? {});
        if (fault.status === 204) res.end();
        else res.json(fault.body === undefined ? defaultErrorForStatus(fault.status) : fault.body);
        return;
      }
    }
    if (!api) return next();
    if (who.problem) throw who.problem;
    const portal = state.portals.get(who.token!.portalId)!;
    const verdict = limiter.check(portal.portalId, isSearchPath(req.path));
    res.set(verdict.headers);
    if (!verdict.ok) {
      res.status(429).json(verdict.body);
      return;
    }
    res.locals.hs = { portal, token: who.token };
    next();
  });

  app.use(oauthRoutes(state, plans));
  app.use(searchRoutes(state));
  app.use(crmBatchRoutes(state));
  app.use(crmMergeRoutes(state));
  app.use(crmObjectRoutes(state));
  app.use(propertyRoutes(state));
  app.use(associationRoutes(state));
  app.use(ownerListRoutes(state));
  app.use(automationRoutes(state));
  app.use(timelineRoutes(state));
  app.use(userRoutes());
  app.use(fileRoutes());

  app.use((req: Request, res: Response) => {
    res.status(404).json(errorBody('OBJECT_NOT_FOUND', `The HubSpot emulator has no route for ${req.method} ${req.path}`));
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(err.status).set(err.headers).json(err.body);
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('VALIDATION_ERROR', `Invalid input JSON on line 1: ${e.message ?? 'malformed JSON'}`));
      return;
    }
    if (e?.type === 'entity.too.large') {
      res.status(413).json(errorBody('VALIDATION_ERROR', 'Request entity too large'));
      return;
    }
    console.error('[hubspot-emulator] unexpected error', err);
    res.status(500).json(errorBody('INTERNAL_ERROR', `internal error: ${e?.message ?? String(err)}`));
  });

  return app;
}

/**
 * Lets the route run to the end (its work is stored) but swaps what it answers for the fault: the
 * fault's status, headers and error body, or no answer at all when the fault hangs.
 */
function loseAnswer(res: Response, fault: FaultSpec): void {
  const end = res.end.bind(res) as (chunk?: string) => Response;
  res.end = (() => {
    if (fault.hang) return res; // never answers; the client has to time out
    const status = fault.status!;
    for (const name of ['content-type', 'content-length', 'etag', 'location']) res.removeHeader(name);
    res.status(status).set(fault.headers ?? {});
    if (status === 204) {
      res.locals.responseBody = undefined;
      return end();
    }
    const body = fault.body === undefined ? defaultErrorForStatus(status) : fault.body;
    res.locals.responseBody = body;
    res.set('content-type', 'application/json; charset=utf-8');
    return end(JSON.stringify(body));
  }) as Response['end'];
}

/** Lets the route run and answer, with the named properties removed from the object (or `results[]`) it answers. */
function omitFromAnswer(res: Response, names: string[]): void {
  const end = res.end.bind(res) as (chunk?: string | Buffer) => Response;
  res.end = ((chunk?: string | Buffer) => {
    if (chunk === undefined || !String(res.getHeader('content-type') ?? '').includes('json')) return end(chunk);
    const body = JSON.parse(chunk.toString()) as { properties?: Record<string, unknown>; results?: Array<{ properties?: Record<string, unknown> }> };
    for (const object of [body, ...(body.results ?? [])]) for (const name of names) delete object.properties?.[name];
    res.locals.responseBody = body;
    res.removeHeader('content-length');
    return end(JSON.stringify(body));
  }) as Response['end'];
}

export async function listen(app: express.Express, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}` };
}
