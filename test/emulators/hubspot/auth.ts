// Bearer-token resolution and scope checks for API routes.
import type { Response } from 'express';
import { hsError } from './errors.ts';
import type { HttpError } from './errors.ts';
import type { AccessTokenRecord, EmulatorState, PortalState } from './state.ts';

/** Every scope the emulator knows; tokens from `issueTokens()` without a list get all of them. */
export const ALL_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.lists.read',
  'crm.lists.write',
  'timeline',
  'automation',
  'settings.users.read',
  'files',
];

const AUTH_HELP =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export interface Identity {
  token?: AccessTokenRecord;
  portalId?: number;
  problem?: HttpError;
}

/** Resolves the Authorization header without failing; `problem` says why the request must be refused. */
export function identify(state: EmulatorState, header: string | undefined): Identity {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return { problem: hsError(401, 'INVALID_AUTHENTICATION', AUTH_HELP) };
  const token = state.accessTokens.get(m[1]);
  if (!token) return { problem: hsError(401, 'INVALID_AUTHENTICATION', AUTH_HELP) };
  const portal = state.portals.get(token.portalId);
  if (token.revoked || !portal || !portal.installed) {
    return { portalId: token.portalId, problem: hsError(401, 'INVALID_AUTHENTICATION', AUTH_HELP) };
  }
  const now = state.clock.now();
  if (now >= token.expiresAt) {
    const ago = Math.max(1, Math.round((now - token.expiresAt) / 1000));
    return {
      portalId: token.portalId,
      problem: hsError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${ago} second(s) ago.`, {
        context: { expireTime: [new Date(token.expiresAt).toISOString()] },
      }),
    };
  }
  return { token, portalId: token.portalId };
}

export interface RequestContext {
  portal: PortalState;
  token: AccessTokenRecord;
}

export function ctx(res: Response): RequestContext {
  const c = res.locals.hs as RequestContext | undefined;
  if (!c) throw new Error('HubSpot emulator: route reached without authentication');
  return c;
}

/** 403 MISSING_SCOPES unless the token holds at least one of `anyOf`. */
export function requireScope(res: Response, ...anyOf: string[]): RequestContext {
  const c = ctx(res);
  if (!anyOf.some((s) => c.token.scopes.includes(s))) {
    throw hsError(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.', {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: anyOf } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    });
  }
  return c;
}
