// Control routes (under /_emulator, loopback only) to look into an emulated portal with curl or a web
// page: its contacts with their properties, as a HubSpot user would see them in the contacts list.
import express, { Router } from 'express';
import { controlCallersOnly } from '../loopback-only.ts';
import type { HubSpotEmulator } from './index.ts';

export function hubspotControlRoutes(emulator: HubSpotEmulator): Router {
  const r = Router();
  r.use(controlCallersOnly, express.json());

  r.get('/portals/:portalId/contacts', (req, res) => {
    const portalId = Number(req.params.portalId);
    if (!Number.isSafeInteger(portalId) || !emulator.state.portals.has(portalId)) {
      return void res.status(404).json({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `no portal ${req.params.portalId}` });
    }
    const contacts = emulator.portal(portalId).contacts().map((c) => ({ id: c.id, properties: c.properties, createdAt: new Date(c.createdAt).toISOString(), updatedAt: new Date(c.updatedAt).toISOString() }));
    res.json({ results: contacts });
  });

  return r;
}
