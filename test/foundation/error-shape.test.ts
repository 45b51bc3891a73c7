// Every 400 the backend answers has one shape, whoever answers it: { error: { code, message, fields: [{ path, message }] } },
// with the fields to blame (or none, for a body that is not JSON at all).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPortal } from '../support/installed-portal.ts';
import { startBackendWithEmulators, type BackendWithEmulators } from '../support/world.ts';

describe('the shape of a 400', () => {
  let world: BackendWithEmulators;
  let portalId: number;
  beforeAll(async () => {
    world = await startBackendWithEmulators();
    portalId = (await installPortal(world.ctx, world.hubspot)).portalId;
  });
  afterAll(async () => {
    await world?.close();
  });

  function expectShape(body: unknown, paths: string[]) {
    expect(body).toEqual({ error: { code: 'bad_request', message: expect.any(String), fields: expect.any(Array) } });
    const fields = (body as { error: { fields: Array<{ path: string; message: string }> } }).error.fields;
    for (const field of fields) expect(field).toEqual({ path: expect.any(String), message: expect.any(String) });
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(paths));
  }

  it('settings page: a new account without its credentials names each missing field', async () => {
    const res = await world.hubspotFetch('/api/accounts', { portalId, method: 'POST', body: { channelId: 'abc' } });
    expect(res.status).toBe(400);
    expectShape(res.body, ['channelId', 'channelSecret', 'channelAccessToken']);
  });

  it('chat panel: a bad contact id in the path and a bad query name their fields', async () => {
    const query = await world.hubspotFetch('/api/contacts/12/messages', { portalId });
    expect(query.status).toBe(400);
    expectShape(query.body, ['accountId']);
    const path = await world.hubspotFetch('/api/contacts/not-a-number/messages?accountId=1', { portalId });
    expect(path.status).toBe(400);
    expectShape(path.body, ['contactId']);
    const send = await world.hubspotFetch('/api/contacts/12/messages', { portalId, method: 'POST', body: { text: 42 } });
    expect(send.status).toBe(400);
    expectShape(send.body, []);
  });

  it('templates: an empty name names the field', async () => {
    const res = await world.hubspotFetch('/api/templates', { portalId, method: 'POST', body: { name: '', text: 'hi' } });
    expect(res.status).toBe(400);
    expectShape(res.body, ['name']);
  });

  it('a body that is not JSON: the same shape, no field to blame', async () => {
    const res = await fetch(`${world.backend.url}/line/webhook/whatever`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toEqual({ error: { code: 'malformed_json', message: expect.any(String), fields: [] } });
  });
});
