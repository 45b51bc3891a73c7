// POST /hubspot/actions/send-line-message (executions) and .../options (the optionsUrl of lineAccount and template).
// HubSpot signs both with v2 (v3 verified when present) and calls them at the exact configured URL:
// a request with a query string is a hubspot.fetch call (same client secret) and is refused. The portal
// is origin.portalId, which must have installed the app; refusals are 4xx, which HubSpot does not retry.
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, forbidden } from '../http/errors.ts';
import { findPortalRow } from '../hubspot/portals.ts';
import { refuseHubSpotFetchCalls, requireHubSpotSignature } from '../hubspot/signed-requests.ts';
import { executionRequest, optionsRequest, parseBody } from './action-request.ts';
import { acceptExecution, type SendJobRef } from './accept-execution.ts';
import { fieldOptions } from './field-options.ts';

export const ACTION_PATH = '/hubspot/actions/send-line-message';
export const OPTIONS_PATH = `${ACTION_PATH}/options`;

async function requireInstalled(ctx: AppContext, portalId: number): Promise<void> {
  const portal = await findPortalRow(ctx.db, portalId);
  if (!portal) throw forbidden('This HubSpot portal has not installed the app');
  if (portal.status !== 'installed') throw new HttpError(403, 'reinstall_required', 'The app must be reinstalled in this HubSpot portal');
}

export function workflowActionRoutes(ctx: AppContext, send: SendJobRef): Router {
  const router = Router();
  const signed: RequestHandler[] = [refuseHubSpotFetchCalls(), requireHubSpotSignature(ctx, { acceptV2: true })];

  router.post(ACTION_PATH, ...signed, async (req, res) => {
    const request = parseBody(executionRequest, req.body);
    await requireInstalled(ctx, request.origin.portalId);
    const answer = await acceptExecution(ctx, send, request);
    if (answer === 'other_portal') throw new HttpError(409, 'conflict', 'This callbackId belongs to another portal');
    res.json(answer);
  });

  router.post(OPTIONS_PATH, ...signed, async (req, res) => {
    const request = parseBody(optionsRequest, req.body);
    await requireInstalled(ctx, request.origin.portalId);
    const options = await fieldOptions(ctx, request.origin.portalId, request.inputFieldName, request.fetchOptions?.q ?? '');
    if (!options) throw new HttpError(400, 'bad_request', `No options for input field ${request.inputFieldName}`);
    res.json({ options, searchable: true });
  });

  return router;
}
