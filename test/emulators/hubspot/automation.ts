// Workflow action callbacks (completing BLOCKed executions), account details and app uninstall routes.
import { Router } from 'express';
import type { Response } from 'express';
import { ctx, requireScope } from './auth.ts';
import { batchInputs } from './crm-batch.ts';
import { requireBodyObject } from './crm-objects.ts';
import { badRequest, notFound } from './errors.ts';
import type { CallbackCompletion, EmulatorState, WorkflowRecord } from './state.ts';
import { uninstall } from './tokens.ts';

function completion(state: EmulatorState, callbackId: string, input: Record<string, unknown>, batch: boolean): CallbackCompletion {
  if (!callbackId) throw badRequest('callbackId is required');
  const out = input.outputFields;
  if (!out || typeof out !== 'object' || Array.isArray(out)) throw badRequest('outputFields is required and must be an object', { context: { callbackId: [callbackId] } });
  // HubSpot's schema types every output value as a string (additionalProperties: string).
  const notString = Object.entries(out).find(([, v]) => typeof v !== 'string');
  if (notString) throw badRequest(`outputFields.${notString[0]} must be a string`, { context: { callbackId: [callbackId] } });
  const c: CallbackCompletion = {
    callbackId,
    outputFields: out as Record<string, unknown>,
    at: state.clock.now(),
    known: state.issuedCallbacks.has(callbackId),
    batch,
  };
  if (input.typedOutputs !== undefined) c.typedOutputs = input.typedOutputs;
  if (typeof input.failureReasonType === 'string') c.failureReasonType = input.failureReasonType;
  return c;
}

/** Offsets like "+09:00" for an IANA zone at a given instant. */
export function utcOffset(timeZone: string, at: number): { text: string; ms: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return { text: '+00:00', ms: 0 };
  const ms = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000);
  return { text: `${m[1]}${m[2]}:${m[3]}`, ms };
}

/** A workflow in the shape of the v4 flows API (GET /automation/v4/flows/{flowId}): contact workflows are
 * CONTACT_FLOW, those of other objects PLATFORM_FLOW with the object's type id. */
function flowView(w: WorkflowRecord) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: w.id,
    type: w.objectType === 'CONTACT' ? 'CONTACT_FLOW' : 'PLATFORM_FLOW',
    flowType: 'WORKFLOW',
    objectTypeId: w.objectType === 'CONTACT' ? '0-1' : '0-2',
    isEnabled: w.isEnabled,
    name: w.name,
    revisionId: '1',
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
    startActionId: '1',
    nextAvailableActionId: '2',
    actions: [],
    enrollmentCriteria: { type: 'MANUAL', shouldReEnroll: false },
    timeWindows: [],
    blockedDates: [],
    customProperties: {},
    dataSources: [],
    suppressionListIds: [],
    canEnrollFromSalesforce: false,
  };
}

export function automationRoutes(state: EmulatorState): Router {
  const r = Router();
  const completeOne = (res: Response, c: CallbackCompletion) => {
    const { portal } = ctx(res);
    const issuedTo = state.issuedCallbacks.get(c.callbackId);
    if (issuedTo !== undefined && issuedTo !== portal.portalId) throw badRequest(`Callback ${c.callbackId} does not belong to this account.`);
    portal.callbacksCompleted.push(c);
  };

  r.post('/automation/v4/actions/callbacks/complete', (req, res) => {
    requireScope(res, 'automation');
    const list = batchInputs(req.body).map((i) => completion(state, String(i.callbackId ?? ''), i, true));
    for (const c of list) completeOne(res, c);
    res.status(204).end();
  });

  r.post('/automation/v4/actions/callbacks/:callbackId/complete', (req, res) => {
    requireScope(res, 'automation');
    completeOne(res, completion(state, String(req.params.callbackId), requireBodyObject(req.body), false));
    res.status(204).end();
  });

  r.get('/automation/v4/flows/:flowId', (req, res) => {
    const { portal } = requireScope(res, 'automation');
    const workflow = portal.workflows.get(String(req.params.flowId));
    if (!workflow) throw notFound(`Could not find flow with id ${String(req.params.flowId)}`);
    res.json(flowView(workflow));
  });

  r.get('/account-info/v3/details', (_req, res) => {
    const { portal } = ctx(res);
    const offset = utcOffset(portal.timeZone, state.clock.now());
    res.json({
      portalId: portal.portalId,
      accountType: 'STANDARD',
      timeZone: portal.timeZone,
      companyCurrency: 'JPY',
      additionalCurrencies: [],
      utcOffset: offset.text,
      utcOffsetMilliseconds: offset.ms,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });

  r.delete('/appinstalls/v3/external-install', (_req, res) => {
    const { portal } = ctx(res);
    uninstall(state, portal.portalId);
    res.status(204).end();
  });

  return r;
}
