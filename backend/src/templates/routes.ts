// /api/templates: the portal's message templates for the settings page and the chat composer. Any user of
// the portal may write them, as they could the saved chat texts these replace: the same user can already
// send any LINE message to any linked contact from the chat panel, so an admin gate here would protect
// nothing the chat does not already allow, and reps keep saving their own texts.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from './repository.ts';
import { templateBody, templateParams } from './template-input.ts';

const noSuchTemplate = () => notFound('No such template in this HubSpot account');

export function templateRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);

  router.get('/api/templates', ...auth, async (req, res) => {
    res.json({ templates: await listTemplates(ctx, callerOf(req).portalId) });
  });

  router.post('/api/templates', ...auth, async (req, res) => {
    const input = parseOr400(templateBody, req.body);
    const caller = callerOf(req);
    res.status(201).json({ template: await createTemplate(ctx, caller.portalId, input, caller.userId) });
  });

  router.put('/api/templates/:id', ...auth, async (req, res) => {
    const { id } = parseOr400(templateParams, req.params, 'Path');
    const input = parseOr400(templateBody, req.body);
    const template = await updateTemplate(ctx, callerOf(req).portalId, id, input);
    if (!template) throw noSuchTemplate();
    res.json({ template });
  });

  router.delete('/api/templates/:id', ...auth, async (req, res) => {
    const { id } = parseOr400(templateParams, req.params, 'Path');
    if (!(await deleteTemplate(ctx, callerOf(req).portalId, id))) throw noSuchTemplate();
    res.status(204).end();
  });

  return router;
}
