// POST /hubspot/actions/send-line-message (contact workflows), /hubspot/actions/send-line-group-message
// (company workflows), and each one's /options (the optionsUrl of lineAccount and template).
// HubSpot signs them with v2 (v3 verified when present) and calls them at the exact configured URL:
// a request with a query string is a hubspot.fetch call (same client secret) and is refused. The portal
// is origin.portalId, which must have installed the app; refusals are 4xx, which HubSpot does not retry.
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { refuseHubSpotFetchCalls, requireHubSpotSignature } from '../hubspot/signed-requests.ts';
import { ACTION_OBJECTS } from './action-objects.ts';
import { executionRequest, optionsRequest, parseBody } from './action-request.ts';
import { executionIntake, type SendJobRef } from './accept-execution.ts';
import { fieldOptions } from './field-options.ts';
import { requireInstalled } from './installed-portal.ts';

export function workflowActionRoutes(ctx: AppContext, send: SendJobRef): Router {
  const router = Router();
  const signed: RequestHandler[] = [refuseHubSpotFetchCalls(), requireHubSpotSignature(ctx, { acceptV2: true })];
  const accept = executionIntake(ctx, send);

  for (const object of ACTION_OBJECTS) {
    router.post(object.actionPath, ...signed, async (req, res) => {
      const request = parseBody(executionRequest, req.body);
      const enrolled = request.object.objectType;
      // Each definition is for one object type: a record of another kind has no recipient of this kind.
      if (enrolled !== undefined && enrolled.toUpperCase() !== object.executionType) {
        throw badRequest(`Invalid request from HubSpot: object.objectType is ${enrolled}, but this action is for ${object.executionType} records`);
      }
      const answer = await accept({ object, request });
      if (answer instanceof HttpError) throw answer;
      res.json(answer);
    });

    router.post(`${object.actionPath}/options`, ...signed, async (req, res) => {
      const request = parseBody(optionsRequest, req.body);
      await requireInstalled(ctx, request.origin.portalId);
      const options = await fieldOptions(ctx, request.origin.portalId, request.inputFieldName, request.fetchOptions?.q ?? '');
      if (!options) throw new HttpError(400, 'bad_request', `No options for input field ${request.inputFieldName}`);
      res.json({ options, searchable: true });
    });
  }

  return router;
}
