import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, setup } from './test-helpers.ts';
import type { Setup } from './test-helpers.ts';

let s: Setup;
beforeEach(async () => {
  s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
});
afterEach(async () => {
  await s.hs.close();
});

describe('owners and lists', () => {
  it('lists and reads owners through the official client', async () => {
    const page = await s.client.crm.owners.ownersApi.getPage();
    expect(page.results).toHaveLength(1);
    const owner = page.results[0];
    expect(owner).toMatchObject({ email: 'owner@example.com', firstName: 'Oona', userId: 501 });
    expect((await s.client.crm.owners.ownersApi.getById(Number(owner.id))).email).toBe('owner@example.com');
    expect((await api(s.hs, s.token, 'GET', `/crm/v3/owners/501?idProperty=userId`)).body.id).toBe(owner.id);
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/owners/424242')).status).toBe(404);
  });

  it('searches lists and pages memberships', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => s.portal.createObject('contacts', { email: `l${i}@example.com` }).id);
    const list = s.portal.addList({ name: 'LINE friends', memberIds: ids });
    s.portal.addList({ name: 'Other' });
    const found = await api(s.hs, s.token, 'POST', '/crm/v3/lists/search', { query: 'line', offset: 0, count: 10, additionalProperties: [] });
    expect(found.body).toMatchObject({ total: 1, hasMore: false, lists: [{ listId: list.listId, name: 'LINE friends' }] });
    const first = await api(s.hs, s.token, 'GET', `/crm/v3/lists/${list.listId}/memberships?limit=3`);
    expect(first.body.results.map((r: { recordId: string }) => r.recordId)).toEqual(ids.slice(0, 3));
    const second = await api(s.hs, s.token, 'GET', `/crm/v3/lists/${list.listId}/memberships?limit=3&after=${first.body.paging.next.after}`);
    expect(second.body.results.map((r: { recordId: string }) => r.recordId)).toEqual(ids.slice(3));
    expect(second.body.paging).toBeUndefined();
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/lists/999/memberships')).status).toBe(404);
  });
});

describe('timeline events', () => {
  it('accepts v3 and 2026-03 events on a contact, 409 on a repeated id, batch with partial errors', async () => {
    const c = s.portal.createObject('contacts', { email: 'tl@example.com' });
    const event = { eventTemplateId: 'line-message-received', id: 'msg-1', objectId: c.id, tokens: { text: 'hi' }, timestamp: new Date().toISOString() };
    const created = await api(s.hs, s.token, 'POST', '/integrators/timeline/v3/events', event);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'msg-1', eventTemplateId: 'line-message-received', objectId: c.id, tokens: { text: 'hi' } });
    expect((await api(s.hs, s.token, 'POST', '/integrators/timeline/v3/events', event)).status).toBe(409);
    const batch = await api(s.hs, s.token, 'POST', '/integrators/timeline/v3/events/batch/create', {
      inputs: [{ ...event, id: 'msg-2' }, { ...event, id: 'msg-3', objectId: '999999999' }],
    });
    expect(batch.status).toBe(207);
    expect(batch.body.results).toHaveLength(1);
    expect(batch.body.errors).toHaveLength(1);
    const occurrence = await api(s.hs, s.token, 'POST', '/integrators/timeline/2026-03/events', {
      eventTypeName: 'line_message_sent', id: 'out-1', objectId: c.id, properties: { text: 'hello' },
    });
    expect(occurrence.status).toBe(201);
    expect(s.portal.timelineEvents().map((e) => e.id)).toEqual(['msg-1', 'msg-2', 'out-1']);
  });

  it('refuses events when the portal has no app event types', async () => {
    const portal = s.hs.createPortal({ hasAppEventTypes: false });
    const token = s.hs.issueTokens(portal.portalId).accessToken;
    const c = portal.createObject('contacts', { email: 'none@example.com' });
    const res = await api(s.hs, token, 'POST', '/integrators/timeline/v3/events', { eventTemplateId: 'x', id: '1', objectId: c.id, tokens: {} });
    expect(res.status).toBe(404);
    expect(res.body.category).toBe('OBJECT_NOT_FOUND');
    expect(portal.timelineEvents()).toHaveLength(0);
  });
});

describe('workflow callbacks and account', () => {
  it('records single and batch callback completions', async () => {
    const single = await api(s.hs, s.token, 'POST', '/automation/v4/actions/callbacks/cb-1/complete', { outputFields: { hs_execution_state: 'SUCCESS' }, typedOutputs: {} });
    expect(single.status).toBe(204);
    const batch = await api(s.hs, s.token, 'POST', '/automation/v4/actions/callbacks/complete', {
      inputs: [{ callbackId: 'cb-2', outputFields: { hs_execution_state: 'FAIL_CONTINUE' }, typedOutputs: {} }],
    });
    expect(batch.status).toBe(204);
    expect(s.portal.callbacksCompleted().map((c) => [c.callbackId, c.outputFields.hs_execution_state, c.batch])).toEqual([
      ['cb-1', 'SUCCESS', false],
      ['cb-2', 'FAIL_CONTINUE', true],
    ]);
    // A deliberately malformed request, against an emulator that does not log traffic (spec-check would flag the request).
    const quiet = await setup({ trafficLog: '' });
    try {
      expect((await api(quiet.hs, quiet.token, 'POST', '/automation/v4/actions/callbacks/cb-3/complete', { typedOutputs: {} })).status).toBe(400);
      const notString = await api(quiet.hs, quiet.token, 'POST', '/automation/v4/actions/callbacks/cb-4/complete', { outputFields: { count: 3 }, typedOutputs: {} });
      expect(notString.status).toBe(400);
      const inputs = Array.from({ length: 101 }, (_, i) => ({ callbackId: `cb-x${i}`, outputFields: { hs_execution_state: 'SUCCESS' }, typedOutputs: {} }));
      expect((await api(quiet.hs, quiet.token, 'POST', '/automation/v4/actions/callbacks/complete', { inputs })).status).toBe(400);
    } finally {
      await quiet.hs.close();
    }
  });

  it('reports account details and records every call', async () => {
    const details = await api(s.hs, s.token, 'GET', '/account-info/v3/details');
    expect(details.body).toMatchObject({ portalId: s.portal.portalId, timeZone: 'Asia/Tokyo', utcOffsetMilliseconds: 9 * 3_600_000 });
    expect(s.hs.calls.at(-1)).toMatchObject({ portalId: s.portal.portalId, method: 'GET', path: '/account-info/v3/details', status: 200 });
  });
});
