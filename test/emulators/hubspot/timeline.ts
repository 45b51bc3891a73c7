// Timeline events: v3 (eventTemplateId + tokens) and 2026-03 app event occurrences (eventTypeName + properties).
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { requireScope } from './auth.ts';
import { findRecord, iso } from './crm-store.ts';
import { batchInputs, batchResponse } from './crm-batch.ts';
import { requireBodyObject } from './crm-objects.ts';
import { badRequest, conflict, hsError, HttpError, notFound, standardError } from './errors.ts';
import { findByUniqueValue } from './property-values.ts';
import type { EmulatorState, PortalState, TimelineEventRecord } from './state.ts';

type Api = TimelineEventRecord['api'];

function stringMap(raw: unknown, field: string): Record<string, string> {
  if (raw === undefined) return {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(`"${field}" must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== null && typeof v === 'object') throw badRequest(`"${field}.${k}" must be a string`);
    out[k] = String(v);
  }
  return out;
}

/** Validates one event and returns the record to store (not yet stored). */
function buildEvent(state: EmulatorState, portal: PortalState, api: Api, input: Record<string, unknown>, pendingIds: Set<string>): TimelineEventRecord {
  const eventType = String((api === 'v3' ? input.eventTemplateId : input.eventTypeName) ?? '');
  if (!eventType) throw badRequest(api === 'v3' ? 'eventTemplateId is required' : 'eventTypeName is required');
  if (!portal.hasAppEventTypes || (portal.appEventTypes && !portal.appEventTypes.has(eventType))) {
    throw notFound(`The event ${api === 'v3' ? 'template' : 'type'} ${eventType} does not exist for this app in this account.`, { context: { eventType: [eventType] } });
  }
  const tokens = stringMap(api === 'v3' ? input.tokens : input.properties, api === 'v3' ? 'tokens' : 'properties');
  const email = typeof input.email === 'string' ? input.email : undefined;
  let objectId = input.objectId === undefined ? undefined : String(input.objectId);
  if (objectId !== undefined && !findRecord(portal, 'contacts', objectId)) {
    throw badRequest(`No contact with ID ${objectId} exists in this account.`, { context: { objectId: [objectId] } });
  }
  if (objectId === undefined && email) objectId = findByUniqueValue(portal, 'contacts', 'email', email)?.id;
  if (objectId === undefined && !email && input.utk === undefined) throw badRequest('One of objectId, email or utk is required to place the event on a timeline.');
  const id = input.id === undefined ? randomUUID() : String(input.id).replace(/\{\{uuid\}\}/g, () => randomUUID());
  const key = `${eventType}\u0000${id}`;
  if (pendingIds.has(key) || portal.timelineEvents.some((e) => e.eventType === eventType && e.id === id)) {
    throw conflict(`An event with id ${id} already exists for ${eventType}. Events are immutable.`, { context: { id: [id] } });
  }
  pendingIds.add(key);
  let timestamp = iso(state.clock.now());
  if (input.timestamp !== undefined) {
    const ms = Date.parse(String(input.timestamp));
    if (Number.isNaN(ms)) throw badRequest(`timestamp ${String(input.timestamp)} is not an ISO 8601 date-time`);
    timestamp = iso(ms);
  }
  const rec: TimelineEventRecord = { api, id, eventType, objectType: 'contacts', tokens, timestamp, createdAt: state.clock.now() };
  if (objectId !== undefined) rec.objectId = objectId;
  if (email !== undefined) rec.email = email;
  if (input.extraData !== undefined) rec.extraData = input.extraData;
  return rec;
}

function serializeEvent(e: TimelineEventRecord) {
  const common: Record<string, unknown> = { id: e.id, timestamp: e.timestamp };
  if (e.objectId !== undefined) common.objectId = e.objectId;
  if (e.email !== undefined) common.email = e.email;
  if (e.extraData !== undefined) common.extraData = e.extraData;
  if (e.api === 'v3') return { ...common, eventTemplateId: e.eventType, tokens: e.tokens, objectType: 'CONTACT', createdAt: iso(e.createdAt) };
  return { ...common, eventTypeName: e.eventType, properties: e.tokens, objectTypeFullyQualifiedName: '0-1' };
}

export function timelineRoutes(state: EmulatorState): Router {
  const r = Router();

  const single = (api: Api, status: number) => (req: import('express').Request, res: import('express').Response) => {
    const { portal } = requireScope(res, 'timeline');
    const rec = buildEvent(state, portal, api, requireBodyObject(req.body), new Set());
    portal.timelineEvents.push(rec);
    res.status(status).json(serializeEvent(rec));
  };
  r.post('/integrators/timeline/v3/events', single('v3', 201));
  r.post('/integrators/timeline/2026-03/events', single('2026-03', 201));

  r.post('/integrators/timeline/v3/events/batch/create', (req, res) => {
    const { portal } = requireScope(res, 'timeline');
    const started = state.clock.now();
    const pending = new Set<string>();
    const results: TimelineEventRecord[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(req.body, 500)) {
      try {
        results.push(buildEvent(state, portal, 'v3', input, pending));
      } catch (e) {
        if (!(e instanceof HttpError) || e.status === 404) throw e;
        const b = e.body as { category: string; message: string; context?: Record<string, string[]> };
        errors.push(standardError(b.category, b.message, b.context ?? {}));
      }
    }
    portal.timelineEvents.push(...results);
    res.status(errors.length ? 207 : 201).json(batchResponse(started, results.map(serializeEvent), errors, state.clock.now()));
  });

  r.post('/integrators/timeline/2026-03/events/batch', (req, res) => {
    const { portal } = requireScope(res, 'timeline');
    const started = state.clock.now();
    const pending = new Set<string>();
    // All or nothing: one invalid or duplicate occurrence rejects the whole batch.
    const results = batchInputs(req.body, 500).map((input) => buildEvent(state, portal, '2026-03', input, pending));
    portal.timelineEvents.push(...results);
    res.status(200).json(batchResponse(started, results.map(serializeEvent), [], state.clock.now()));
  });

  r.get('/integrators/timeline/v3/events/:eventTemplateId/:eventId', (req, res) => {
    const { portal } = requireScope(res, 'timeline');
    const e = portal.timelineEvents.find((x) => x.api === 'v3' && x.eventType === req.params.eventTemplateId && x.id === req.params.eventId);
    if (!e) throw hsError(404, 'OBJECT_NOT_FOUND', `Event ${req.params.eventId} not found`);
    res.json(serializeEvent(e));
  });

  return r;
}
