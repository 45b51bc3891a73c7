// Express middleware for requests from HubSpot: verify the signature, then take the tenant identity
// only from what HubSpot signed (query parameters of hubspot.fetch calls, origin.portalId of workflow calls).
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, unauthorized, forbidden } from '../http/errors.ts';
import { verifyHubSpotSignature } from './signature.ts';

export interface HubSpotCaller {
  portalId: number;
  /** HubSpot user who made a hubspot.fetch call (absent for workflow executions and webhooks). */
  userId?: number;
  userEmail?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by requireHubSpotSignature / requireInstalledPortal: who is calling, as signed by HubSpot. */
      hubspot?: HubSpotCaller;
    }
  }
}

/** The URLs a request may have been signed for: the public URL, and the URL as this server saw it (tests, proxies). */
export function candidateUrls(ctx: AppContext, req: Request): string[] {
  const urls = [`${ctx.config.PUBLIC_BASE_URL}${req.originalUrl}`];
  const host = req.get('host');
  if (host) {
    for (const scheme of new Set([req.protocol, 'https'])) urls.push(`${scheme}://${host}${req.originalUrl}`);
  }
  return [...new Set(urls)];
}

function positiveInt(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Any request HubSpot signed (v3, or v2 where HubSpot only sends v2). 401 otherwise; 503 when the app secret is not configured. */
export function requireHubSpotSignature(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const secret = ctx.config.HUBSPOT_CLIENT_SECRET;
    if (!secret) return next(new HttpError(503, 'not_configured', 'HUBSPOT_CLIENT_SECRET is not configured on this backend'));
    const check = verifyHubSpotSignature(secret, {
      method: req.method,
      urls: candidateUrls(ctx, req),
      body: req.rawBody?.toString('utf8') ?? '',
      headers: {
        v3: req.get('x-hubspot-signature-v3'),
        timestamp: req.get('x-hubspot-request-timestamp'),
        v2: req.get('x-hubspot-signature'),
        version: req.get('x-hubspot-signature-version'),
      },
    });
    if (!check.ok) {
      req.log.warn({ reason: check.reason }, 'rejected request with an invalid HubSpot signature');
      return next(unauthorized(`Invalid HubSpot signature: ${check.reason}`));
    }
    next();
  };
}

/** Reads the caller from the signed query string of a hubspot.fetch call. Use after requireHubSpotSignature. */
export function callerFromQuery(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const portalId = positiveInt(req.query.portalId);
    if (!portalId) return next(unauthorized('The signed request carries no portalId'));
    const appId = positiveInt(req.query.appId);
    if (ctx.config.HUBSPOT_APP_ID && appId !== undefined && appId !== ctx.config.HUBSPOT_APP_ID) {
      return next(forbidden('The request was made for another app'));
    }
    const email = typeof req.query.userEmail === 'string' ? req.query.userEmail : undefined;
    req.hubspot = { portalId, userId: positiveInt(req.query.userId), userEmail: email };
    next();
  };
}

/** 403 unless the caller's portal has installed the app and its tokens are usable. */
export function requireInstalledPortal(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    try {
      const portalId = req.hubspot?.portalId;
      if (!portalId) return next(unauthorized('No HubSpot portal on this request'));
      const portal = await ctx.db('portals').where({ portal_id: portalId }).first('status');
      if (!portal) return next(forbidden('This HubSpot portal has not installed the app'));
      if (portal.status !== 'installed') return next(new HttpError(403, 'reinstall_required', 'The app must be reinstalled in this HubSpot portal'));
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The stack for /api/* routes reached through hubspot.fetch. */
export function hubspotFetchAuth(ctx: AppContext): RequestHandler[] {
  return [requireHubSpotSignature(ctx), callerFromQuery(ctx), requireInstalledPortal(ctx)];
}

/** The caller of a request that went through hubspotFetchAuth (or a workflow/webhook equivalent). */
export function callerOf(req: Request): HubSpotCaller {
  if (!req.hubspot) throw new Error('callerOf() used on a route without HubSpot authentication');
  return req.hubspot;
}
