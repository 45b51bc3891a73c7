// GET /api/templates and POST /api/templates { name, text }: the portal's saved chat texts.
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { parseOr400 } from '../http/errors.ts';
import { callerOf, hubspotFetchAuth } from '../hubspot/signed-requests.ts';
import { templateBody } from './inputs.ts';
import { createTemplate, listTemplates } from './templates.ts';

export function templateRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = hubspotFetchAuth(ctx);

  router.get('/api/templates', ...auth, async (req, res) => {
    res.json({ templates: await listTemplates(ctx, callerOf(req).portalId) });
  });

  router.post('/api/templates', ...auth, async (req, res) => {
    const input = parseOr400(templateBody, req.body, 'Request body');
    const caller = callerOf(req);
    res.status(201).json({ template: await createTemplate(ctx, caller.portalId, input, caller.userId) });
  });

  return router;
}
