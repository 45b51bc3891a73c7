// Owners and lists (search, fetch, memberships) routes.
import { Router } from 'express';
import { requireScope } from './auth.ts';
import { iso } from './crm-store.ts';
import { requireBodyObject } from './crm-objects.ts';
import { badRequest, notFound } from './errors.ts';
import type { EmulatorState, ListRecord, Owner } from './state.ts';

function serializeOwner(o: Owner) {
  const out: Record<string, unknown> = {
    id: o.id,
    email: o.email,
    type: o.type,
    archived: o.archived,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    teams: [],
  };
  if (o.firstName !== undefined) out.firstName = o.firstName;
  if (o.lastName !== undefined) out.lastName = o.lastName;
  if (o.userId !== undefined) {
    out.userId = o.userId;
    out.userIdIncludingInactive = o.userId;
  }
  return out;
}

function serializeList(l: ListRecord) {
  return {
    listId: l.listId,
    listVersion: 1,
    name: l.name,
    objectTypeId: l.objectTypeId,
    processingStatus: 'COMPLETE',
    processingType: l.processingType,
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
    createdById: '1',
    updatedById: '1',
    filtersUpdatedAt: iso(l.createdAt),
    additionalProperties: {
      hs_list_size: String(l.members.length),
      hs_last_record_added_at: String(l.members.reduce((m, x) => Math.max(m, x.addedAt), 0)),
    },
  };
}

export function ownerListRoutes(state: EmulatorState): Router {
  const r = Router();
  const ownerScope = ['crm.objects.owners.read'];

  r.get('/crm/v3/owners', (req, res) => {
    const { portal } = requireScope(res, ...ownerScope);
    const archived = String(req.query.archived) === 'true';
    const email = req.query.email ? String(req.query.email).toLowerCase() : undefined;
    const limit = Math.min(Number(req.query.limit ?? 100) || 100, 500);
    const all = portal.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email));
    const start = req.query.after ? Number(req.query.after) : 0;
    const body: Record<string, unknown> = { results: all.slice(start, start + limit).map(serializeOwner) };
    if (start + limit < all.length) body.paging = { next: { after: String(start + limit) } };
    res.json(body);
  });

  r.get('/crm/v3/owners/:ownerId', (req, res) => {
    const { portal } = requireScope(res, ...ownerScope);
    const id = String(req.params.ownerId);
    const byUser = req.query.idProperty === 'userId';
    const archived = String(req.query.archived) === 'true';
    const owner = portal.owners.find((o) => (byUser ? String(o.userId) === id : o.id === id) && o.archived === archived);
    if (!owner) throw notFound(`Owner ${id} not found`, { context: { id: [id] } });
    res.json(serializeOwner(owner));
  });

  r.post('/crm/v3/lists/search', (req, res) => {
    const { portal } = requireScope(res, 'crm.lists.read', 'crm.lists.write');
    const body = requireBodyObject(req.body);
    const offset = Number(body.offset ?? 0) || 0;
    const count = Math.min(Number(body.count ?? 20) || 20, 500);
    const q = typeof body.query === 'string' ? body.query.toLowerCase() : '';
    const ids = Array.isArray(body.listIds) ? body.listIds.map(String) : undefined;
    const types = Array.isArray(body.processingTypes) ? body.processingTypes.map(String) : undefined;
    const hits = portal.lists.filter(
      (l) => (!q || l.name.toLowerCase().includes(q)) && (!ids || ids.includes(l.listId)) && (!types || types.includes(l.processingType)),
    );
    const page = hits.slice(offset, offset + count);
    res.json({ lists: page.map(serializeList), total: hits.length, offset: offset + page.length, hasMore: offset + count < hits.length });
  });

  const findList = (portalLists: ListRecord[], id: string) => {
    const list = portalLists.find((l) => l.listId === id);
    if (!list) throw notFound(`List ${id} does not exist.`, { context: { listId: [id] } });
    return list;
  };

  r.get('/crm/v3/lists/:listId', (req, res) => {
    const { portal } = requireScope(res, 'crm.lists.read', 'crm.lists.write');
    const list = findList(portal.lists, String(req.params.listId));
    res.json({ list: { ...serializeList(list), size: list.members.length } });
  });

  r.get('/crm/v3/lists/:listId/memberships', (req, res) => {
    const { portal } = requireScope(res, 'crm.lists.read', 'crm.lists.write');
    const list = findList(portal.lists, String(req.params.listId));
    const limit = Number(req.query.limit ?? 100) || 100;
    if (limit > 250) throw badRequest('limit must be at most 250');
    const sorted = [...list.members].sort((a, b) => Number(a.recordId) - Number(b.recordId));
    const start = req.query.after ? sorted.findIndex((m) => Number(m.recordId) > Number(req.query.after)) : 0;
    const page = start < 0 ? [] : sorted.slice(start, start + limit);
    const body: Record<string, unknown> = {
      results: page.map((m) => ({ recordId: m.recordId, membershipTimestamp: iso(m.addedAt) })),
      total: sorted.length,
    };
    if (start >= 0 && start + limit < sorted.length) body.paging = { next: { after: page[page.length - 1].recordId } };
    res.json(body);
  });

  const changeMembers = (listId: string, portalLists: ListRecord[], add: string[], remove: string[]) => {
    const list = findList(portalLists, listId);
    if (list.processingType !== 'MANUAL' && list.processingType !== 'SNAPSHOT') throw badRequest('Memberships of a DYNAMIC list cannot be changed manually.');
    const now = state.clock.now();
    const added = add.filter((id) => !list.members.some((m) => m.recordId === id));
    for (const id of added) list.members.push({ recordId: id, addedAt: now });
    const removed = remove.filter((id) => list.members.some((m) => m.recordId === id));
    list.members = list.members.filter((m) => !removed.includes(m.recordId));
    list.updatedAt = now;
    return { recordsIdsAdded: added, recordIdsRemoved: removed, recordIdsMissing: [] as string[] };
  };

  r.put('/crm/v3/lists/:listId/memberships/add', (req, res) => {
    const { portal } = requireScope(res, 'crm.lists.write');
    const ids = Array.isArray(req.body) ? req.body.map(String) : [];
    res.json(changeMembers(String(req.params.listId), portal.lists, ids, []));
  });

  r.put('/crm/v3/lists/:listId/memberships/remove', (req, res) => {
    const { portal } = requireScope(res, 'crm.lists.write');
    const ids = Array.isArray(req.body) ? req.body.map(String) : [];
    res.json(changeMembers(String(req.params.listId), portal.lists, [], ids));
  });

  return r;
}
