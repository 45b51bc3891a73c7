// /api/templates over HTTP, called as hubspot.fetch calls it: one concept for the chat panel's saved texts
// and the workflow action's templates, 1-5 LINE messages each, scoped by portal, 400s that name the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate, MAX_TEMPLATES_PER_PORTAL } from '../../backend/src/templates/repository.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startBackendWithEmulators, type BackendWithEmulators } from '../support/world.ts';

let world: BackendWithEmulators;
let portalId: number;
let otherPortalId: number;
const api = (path: string, o: { method?: string; body?: object; portalId?: number; userId?: number; userEmail?: string } = {}) =>
  world.hubspotFetch(path, { ...o, portalId: o.portalId ?? portalId });

beforeAll(async () => {
  world = await startBackendWithEmulators();
  portalId = (await installPortal(world.ctx, world.hubspot)).portalId;
  otherPortalId = (await installPortal(world.ctx, world.hubspot)).portalId;
});
afterAll(async () => world?.close());

const sticker = { type: 'sticker', packageId: '446', stickerId: '1988' };
const flex = { type: 'flex', altText: 'Your booking', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '{{contact.firstname}}' }] } } };

describe('message templates', () => {
  it('creates, lists, edits and deletes a template of several LINE messages; any user of the portal may', async () => {
    const rep = world.hubspot.portal(portalId).addUser({ email: 'rep@example.com' });
    const asRep = { userId: rep.id, userEmail: rep.email };
    const created = await api('/api/templates', { ...asRep, body: { name: '  Booking  ', messages: [{ type: 'text', text: ' Hello {{contact.firstname | default: "お客様"}} ' }, sticker, flex] } });
    expect(created.status).toBe(201);
    const { template } = created.body;
    expect(template).toEqual({ id: expect.any(Number), name: 'Booking', messages: [{ type: 'text', text: 'Hello {{contact.firstname | default: "お客様"}}' }, sticker, flex], updatedAt: expect.any(Number) });
    expect((await api('/api/templates')).body.templates).toEqual([template]);

    const edited = await api(`/api/templates/${template.id}`, { ...asRep, method: 'PUT', body: { name: 'Booking reminder', messages: [{ type: 'text', text: 'See you tomorrow' }] } });
    expect(edited.status).toBe(200);
    expect(edited.body.template).toMatchObject({ id: template.id, name: 'Booking reminder', messages: [{ type: 'text', text: 'See you tomorrow' }] });
    expect((await api('/api/templates')).body.templates).toEqual([edited.body.template]);

    const removed = await api(`/api/templates/${template.id}`, { ...asRep, method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await api('/api/templates')).body.templates).toEqual([]);
    expect((await api(`/api/templates/${template.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 400 naming each invalid field, and changes nothing', async () => {
    const before = (await api('/api/templates')).body.templates;
    const cases: Array<[object, string[]]> = [
      [{ name: '', messages: [{ type: 'text', text: 'x' }] }, ['name']],
      [{ name: 'n', messages: [] }, ['messages']],
      [{ name: 'n', messages: Array.from({ length: 6 }, () => ({ type: 'text', text: 'x' })) }, ['messages']],
      [{ name: 'n', messages: [{ type: 'text', text: '   ' }] }, ['messages.0']],
      [{ name: 'n', messages: [{ type: 'text', text: 'a'.repeat(5001) }] }, ['messages.0']],
      [{ name: 'n', messages: [{ type: 'text', text: 'ok' }, { type: 'image', originalContentUrl: 'http://example.com/a.png', previewImageUrl: 'https://example.com/a.png' }] }, ['messages.1']],
      [{ name: 'n', messages: [{ type: 'flex', contents: { type: 'bubble' } }] }, ['messages.0']],
      [{ name: 'n', messages: ['just a string'] }, ['messages.0']],
      [{ name: 'n', messages: [{ type: 'text', text: 'x' }], text: 'old shape' }, ['(body)']],
    ];
    for (const [body, paths] of cases) {
      const res = await api('/api/templates', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(paths);
    }
    const flexProblem = await api('/api/templates', { body: { name: 'n', messages: [{ type: 'flex', contents: { type: 'bubble' } }] } });
    expect(flexProblem.body.error.fields[0].message).toBe('altText is required');
    expect((await api('/api/templates')).body.templates).toEqual(before);
    const kept = await api('/api/templates', { body: { name: 'Kept', messages: [{ type: 'text', text: 'unchanged' }] } });
    const badEdit = await api(`/api/templates/${kept.body.template.id}`, { method: 'PUT', body: { name: 'Changed', messages: [{ type: 'sticker' }] } });
    expect(badEdit.status).toBe(400);
    expect(badEdit.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['messages.0']);
    expect((await api('/api/templates/abc', { method: 'PUT', body: { name: 'x', messages: [{ type: 'text', text: 'x' }] } })).status).toBe(400);
    expect((await api('/api/templates')).body.templates.find((t: { id: number }) => t.id === kept.body.template.id)).toMatchObject({ name: 'Kept', messages: [{ type: 'text', text: 'unchanged' }] });
  });

  it('keeps templates per portal: another portal neither sees nor edits nor deletes them (404)', async () => {
    const mine = (await api('/api/templates', { body: { name: 'Mine', messages: [{ type: 'text', text: 'private' }] } })).body.template;
    expect((await api('/api/templates', { portalId: otherPortalId })).body).toEqual({ templates: [] });
    const edit = await api(`/api/templates/${mine.id}`, { portalId: otherPortalId, method: 'PUT', body: { name: 'Stolen', messages: [{ type: 'text', text: 'x' }] } });
    expect(edit.status).toBe(404);
    expect(edit.body.error.code).toBe('not_found');
    expect((await api(`/api/templates/${mine.id}`, { portalId: otherPortalId, method: 'DELETE' })).status).toBe(404);
    expect((await api('/api/templates')).body.templates).toContainEqual(mine);
  });

  it(`keeps at most ${MAX_TEMPLATES_PER_PORTAL} templates per portal (409), counting each portal alone`, async () => {
    const full = (await installPortal(world.ctx, world.hubspot)).portalId;
    for (let i = 0; i < MAX_TEMPLATES_PER_PORTAL; i++) await createTemplate(world.ctx, full, { name: `T${i}`, messages: [{ type: 'text', text: `text ${i}` }] });
    const refused = await api('/api/templates', { portalId: full, body: { name: 'One too many', messages: [{ type: 'text', text: 'x' }] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('too_many_templates');
    expect((await api('/api/templates', { portalId: full })).body.templates).toHaveLength(MAX_TEMPLATES_PER_PORTAL);
    expect((await api('/api/templates', { portalId: otherPortalId, body: { name: 'Fine', messages: [{ type: 'text', text: 'x' }] } })).status).toBe(201);
  });
});
