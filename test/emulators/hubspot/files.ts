// Files API v3, read side: one file of the portal's file manager by id, as HubSpot answers it (scope
// `files`). Another portal's file id is a 404, like any id the portal does not have.
import { Router } from 'express';
import { requireScope } from './auth.ts';
import { badRequest, notFound } from './errors.ts';
import type { FileRecord } from './state.ts';

function serializeFile(f: FileRecord) {
  const at = new Date(f.createdAt).toISOString();
  return {
    id: f.id,
    name: f.name.replace(/\.[^.]*$/, ''),
    extension: f.extension,
    type: f.type,
    size: f.size,
    access: f.access,
    url: f.url,
    path: `/${f.name}`,
    archived: false,
    isUsableInContent: true,
    createdAt: at,
    updatedAt: at,
  };
}

export function fileRoutes(): Router {
  const r = Router();
  r.get('/files/v3/files/:fileId', (req, res) => {
    const { portal } = requireScope(res, 'files');
    const id = String(req.params.fileId);
    if (!/^\d+$/.test(id)) throw badRequest(`Unable to parse file id: ${id}`);
    const file = portal.files.find((f) => f.id === id);
    if (!file) throw notFound(`File with id ${id} not found`, { context: { id: [id] } });
    res.json(serializeFile(file));
  });
  return r;
}
