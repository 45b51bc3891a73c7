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

/** The identity parameters HubSpot appends to a hubspot.fetch URL before signing it. */
export const IDENTITY_PARAMETERS = ['portalId', 'userId', 'userEmail', 'appId'] as const;
const DECIMAL_ID = /^[1-9][0-9]{0,15}$/;

/** The raw query string exactly as received (Express's parsed req.query hides repeats and formats). */
function rawQuery(req: Request): URLSearchParams {
  const at = req.originalUrl.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : req.originalUrl.slice(at + 1));
}

function decimalId(value: string | undefined): number | undefined {
  if (value === undefined || !DECIMAL_ID.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Refuses any body but JSON before a signature is checked: the signature is computed over the raw JSON bytes. */
function requireJsonBody(req: Request): HttpError | undefined {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    return new HttpError(415, 'unsupported_media_type', 'Signed requests must send their body as application/json');
  }
  return undefined;
}

export interface SignatureOptions {
  /** Workflow-action executions are signed with v2 only; every other HubSpot request must carry v3. */
  acceptV2?: boolean;
}

/** Any request HubSpot signed (v3; v2 only where the route says so). 401 otherwise; 503 when the app secret is not configured. */
export function requireHubSpotSignature(ctx: AppContext, options: SignatureOptions = {}): RequestHandler {
  const accept = options.acceptV2 ? (['v3', 'v2'] as const) : (['v3'] as const);
  return (req, _res, next) => {
    const secret = ctx.config.HUBSPOT_CLIENT_SECRET;
    if (!secret) return next(new HttpError(503, 'not_configured', 'HUBSPOT_CLIENT_SECRET is not configured on this backend'));
    const notJson = requireJsonBody(req);
    if (notJson) return next(notJson);
    const check = verifyHubSpotSignature(
      secret,
      {
        method: req.method,
        urls: candidateUrls(ctx, req),
        body: req.rawBody?.toString('utf8') ?? '',
        headers: {
          v3: req.get('x-hubspot-signature-v3'),
          timestamp: req.get('x-hubspot-request-timestamp'),
          v2: req.get('x-hubspot-signature'),
          version: req.get('x-hubspot-signature-version'),
        },
      },
      { accept },
    );
    if (!check.ok) {
      req.log.warn({ reason: check.reason }, 'rejected request with an invalid HubSpot signature');
      return next(unauthorized(`Invalid HubSpot signature: ${check.reason}`));
    }
    next();
  };
}

/**
 * Reads the caller from the signed query string of a hubspot.fetch call. Use after requireHubSpotSignature.
 * HubSpot appends its parameters to whatever URL the extension asked for, so a caller can put its own
 * `portalId=` in front of HubSpot's: each identity parameter must appear at most once (portalId exactly
 * once), as a plain decimal id, or the request is refused whole.
 */
export function callerFromQuery(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const query = rawQuery(req);
    for (const name of IDENTITY_PARAMETERS) {
      if (query.getAll(name).length > 1) return next(unauthorized(`The signed request names ${name} more than once`));
    }
    const portalId = decimalId(query.get('portalId') ?? undefined);
    if (!portalId) return next(unauthorized('The signed request carries no valid portalId'));
    const numeric = { userId: query.get('userId'), appId: query.get('appId') };
    for (const [name, value] of Object.entries(numeric)) {
      if (value !== null && !decimalId(value)) return next(unauthorized(`The signed request carries an invalid ${name}`));
    }
    const appId = decimalId(numeric.appId ?? undefined);
    if (ctx.config.HUBSPOT_APP_ID && appId !== undefined && appId !== ctx.config.HUBSPOT_APP_ID) {
      return next(forbidden('The request was made for another app'));
    }
    req.hubspot = { portalId, userId: decimalId(numeric.userId ?? undefined), userEmail: query.get('userEmail') ?? undefined };
    next();
  };
}

/**
 * For routes HubSpot itself calls (webhook deliveries, workflow executions): HubSpot calls them at the
 * exact URL configured, with no query string, while a hubspot.fetch call always has one (HubSpot appends
 * the caller's identity). Both are signed with the same client secret, so this is what tells them apart.
 */
export function refuseHubSpotFetchCalls(): RequestHandler {
  return (req, _res, next) => {
    if (req.originalUrl.includes('?')) return next(forbidden('This route is called by HubSpot itself and takes no query parameters'));
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
