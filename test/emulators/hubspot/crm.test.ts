import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { api, apiError, clientFor, setup } from './test-helpers.ts';
import type { Setup } from './test-helpers.ts';

let s: Setup;
beforeEach(async () => {
  s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG, searchPerSecond: 100 });
});
afterEach(async () => {
  await s.hs.close();
});

const contact = (email: string, extra: Record<string, string> = {}) => ({ properties: { email, ...extra }, associations: [] });

describe('contacts through the official client', () => {
  it('creates, reads, updates and archives', async () => {
    const created = await s.client.crm.contacts.basicApi.create(contact('Ada@Example.com', { firstname: 'Ada' }));
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('ada@example.com');
    expect(created.properties.hs_object_id).toBe(created.id);
    expect(created.properties.createdate).toBeTruthy();
    const read = await s.client.crm.contacts.basicApi.getById(created.id, ['firstname', 'email']);
    expect(read.properties).toMatchObject({ firstname: 'Ada', email: 'ada@example.com' });
    const byEmail = await s.client.crm.contacts.basicApi.getById('ada@example.com', ['firstname'], undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(created.id);
    const updated = await s.client.crm.contacts.basicApi.update(created.id, { properties: { lastname: 'Lovelace', firstname: '' } });
    expect(updated.properties.lastname).toBe('Lovelace');
    expect(s.portal.contacts()[0].properties.firstname).toBeUndefined();
    await s.client.crm.contacts.basicApi.archive(created.id);
    expect((await apiError(() => s.client.crm.contacts.basicApi.getById(created.id))).code).toBe(404);
    expect(s.portal.contacts({ archived: true })).toHaveLength(1);
  });

  it('rejects unknown properties and badly typed values like HubSpot', async () => {
    const err = await apiError(() => s.client.crm.contacts.basicApi.create(contact('x@example.com', { no_such_prop: 'v' })));
    expect(err.code).toBe(400);
    expect(err.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(err.body.message)).toContain('PROPERTY_DOESNT_EXIST');
    expect(err.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await apiError(() => s.client.crm.contacts.basicApi.create(contact('y@example.com', { lifecyclestage: 'pirate' })));
    expect(String(bad.body.message)).toContain('INVALID_OPTION');
    const owner = await apiError(() => s.client.crm.contacts.basicApi.create(contact('z@example.com', { hubspot_owner_id: '999' })));
    expect(String(owner.body.message)).toContain('INVALID_OWNER_ID');
    const email = await apiError(() => s.client.crm.contacts.basicApi.create(contact('not-an-email')));
    expect(String(email.body.message)).toContain('INVALID_EMAIL');
    expect(s.portal.contacts()).toHaveLength(0);
  });

  it('enforces unique emails with HubSpot\'s 409', async () => {
    const first = await s.client.crm.contacts.basicApi.create(contact('dup@example.com'));
    const err = await apiError(() => s.client.crm.contacts.basicApi.create(contact('DUP@example.com')));
    expect(err.code).toBe(409);
    expect(err.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first.id}` });
    const batch = await apiError(() => s.client.crm.contacts.batchApi.create({ inputs: [contact('a1@example.com'), contact('a1@example.com')] }));
    expect(batch.code).toBe(409);
    expect(s.portal.contacts()).toHaveLength(1);
  });

  it('batch create/read/update, with 207 for missing ids and 400 beyond 100 inputs', async () => {
    const created = await s.client.crm.contacts.batchApi.create({ inputs: [contact('b1@example.com'), contact('b2@example.com')] });
    expect(created.status).toBe('COMPLETE');
    expect(created.results).toHaveLength(2);
    const ids = created.results.map((r) => r.id);
    const read = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [...ids.map((id) => ({ id })), { id: '999999999' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.status).toBe(207);
    expect(read.body.results).toHaveLength(2);
    expect(read.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999999'] } });
    const byEmail = await s.client.crm.contacts.batchApi.read({ inputs: [{ id: 'b2@example.com' }], idProperty: 'email', properties: ['email'], propertiesWithHistory: [] });
    expect(byEmail.results[0].id).toBe(ids[1]);
    const upd = await s.client.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { lastname: 'Batch' } })) });
    expect(upd.results.every((r) => r.properties.lastname === 'Batch')).toBe(true);
    const tooMany = Array.from({ length: 101 }, (_, i) => contact(`many${i}@example.com`));
    const err = await apiError(() => s.client.crm.contacts.batchApi.create({ inputs: tooMany }));
    expect(err.code).toBe(400);
    expect(s.portal.contacts()).toHaveLength(2);
  });

  it('batch upsert by email creates or updates and needs a unique idProperty', async () => {
    const existing = await s.client.crm.contacts.basicApi.create(contact('up1@example.com', { firstname: 'Old' }));
    const res = await s.client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'up1@example.com', idProperty: 'email', properties: { firstname: 'New' } },
        { id: 'up2@example.com', idProperty: 'email', properties: { firstname: 'Fresh' } },
      ],
    });
    const byId = new Map(res.results.map((r) => [r.properties.email, r]));
    expect(byId.get('up1@example.com')).toMatchObject({ id: existing.id, _new: false });
    expect(byId.get('up2@example.com')?._new).toBe(true);
    expect(s.portal.contacts().map((c) => c.properties.firstname).sort()).toEqual(['Fresh', 'New']);
    const err = await apiError(() => s.client.crm.contacts.batchApi.upsert({ inputs: [{ id: 'Ann', idProperty: 'firstname', properties: {} }] }));
    expect(err.code).toBe(400);
  });

  it('searches with filters, sorts, paging and total', async () => {
    for (let i = 0; i < 12; i++) {
      s.portal.createObject('contacts', { email: `s${i}@example.com`, firstname: i % 2 ? 'Odd' : 'Even', ...(i < 3 ? { phone: `+8190${i}` } : {}) });
    }
    const search = (filters: Array<{ propertyName: string; operator: FilterOperatorEnum; value?: string; values?: string[] }>, after = '0', limit = 5) =>
      s.client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters }], sorts: ['email'], properties: ['email', 'firstname'], limit, after });
    const odd = await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.Eq, value: 'odd' }]);
    expect(odd.total).toBe(6);
    expect(odd.results).toHaveLength(5);
    expect(odd.paging?.next?.after).toBe('5');
    const page2 = await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.Eq, value: 'Odd' }], '5');
    expect(page2.results).toHaveLength(1);
    expect(page2.paging).toBeUndefined();
    expect((await search([{ propertyName: 'phone', operator: FilterOperatorEnum.HasProperty }])).total).toBe(3);
    expect((await search([{ propertyName: 'phone', operator: FilterOperatorEnum.NotHasProperty }])).total).toBe(9);
    expect((await search([{ propertyName: 'email', operator: FilterOperatorEnum.In, values: ['s1@example.com', 's2@example.com'] }])).total).toBe(2);
    expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.Neq, value: 'Odd' }])).total).toBe(6);
    // HubSpot's search docs: IN and NOT_IN on a string property take lowercase values; EQ ignores case.
    expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.In, values: ['odd'] }])).total).toBe(6);
    expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.In, values: ['Odd'] }])).total).toBe(0);
    expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.NotIn, values: ['Odd'] }])).total).toBe(12);
    expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.NotIn, values: ['odd'] }])).total).toBe(6);
    // The other reading, for code that must work either way: values match only as spelled.
    s.hs.state.config.searchInMatching = 'exact';
    try {
      expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.In, values: ['odd'] }])).total).toBe(0);
      expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.In, values: ['Odd'] }])).total).toBe(6);
      expect((await search([{ propertyName: 'firstname', operator: FilterOperatorEnum.NotIn, values: ['Odd'] }])).total).toBe(6);
    } finally {
      s.hs.state.config.searchInMatching = 'lowercase-values';
    }
    const ids = s.portal.contacts().map((c) => Number(c.id)).sort((a, b) => a - b);
    expect((await search([{ propertyName: 'hs_object_id', operator: FilterOperatorEnum.Gte, value: String(ids[10]) }])).total).toBe(2);
    const tooBig = await apiError(() => search([], '0', 201));
    expect(tooBig.code).toBe(400);
    const beyond = await apiError(() => search([], '9990', 20));
    expect(beyond.code).toBe(400);
  });

  it('merges contacts into a new record that both old ids answer with, remembering both ids', async () => {
    const a = await s.client.crm.contacts.basicApi.create(contact('keep@example.com', { firstname: 'Keep' }));
    const b = await s.client.crm.contacts.basicApi.create(contact('gone@example.com', { firstname: 'Other', lastname: 'Gone' }));
    const merged = await s.client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    expect([a.id, b.id]).not.toContain(merged.id);
    for (const oldId of [a.id, b.id]) {
      const read = await s.client.crm.contacts.basicApi.getById(oldId, ['firstname', 'lastname', 'email', 'hs_merged_object_ids', 'hs_additional_emails']);
      expect(read.id).toBe(merged.id);
      expect(read.properties).toMatchObject({ firstname: 'Keep', lastname: 'Gone', email: 'keep@example.com', hs_additional_emails: 'gone@example.com' });
      expect(read.properties.hs_merged_object_ids?.split(';').sort()).toEqual([a.id, b.id].sort());
    }
    expect(s.portal.contacts().map((c) => c.id)).toEqual([merged.id]);
    const upsert = await s.client.crm.contacts.batchApi.upsert({ inputs: [{ id: 'gone@example.com', idProperty: 'email', properties: { firstname: 'Again' } }] });
    expect(upsert.results[0].id).toBe(merged.id);
    expect((await apiError(() => s.client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: merged.id }))).code).toBe(404);
  });

  it('GDPR-deletes a contact for good: 404 for its id and for the ids merged into it, even with archived=true', async () => {
    const a = s.portal.createObject('contacts', { email: 'a@example.com' });
    const b = s.portal.createObject('contacts', { email: 'b@example.com' });
    const merged = s.portal.mergeObjects('contacts', a.id, b.id);
    const res = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: merged.id });
    expect(res.status).toBe(204);
    for (const id of [merged.id, a.id, b.id]) {
      expect((await apiError(() => s.client.crm.contacts.basicApi.getById(id))).code).toBe(404);
      expect((await apiError(() => s.client.crm.contacts.basicApi.getById(id, undefined, undefined, undefined, true))).code).toBe(404);
    }
    expect(s.portal.contacts({ archived: true })).toHaveLength(0);
    const again = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: merged.id });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('lets a test delete and merge contacts as a HubSpot user would', async () => {
    const a = s.portal.createObject('contacts', { firstname: 'A' });
    s.portal.archiveObject('contacts', a.id);
    const gone = await apiError(() => s.client.crm.contacts.basicApi.getById(a.id));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect((await s.client.crm.contacts.basicApi.getById(a.id, undefined, undefined, undefined, true)).archived).toBe(true);
    const b = s.portal.createObject('contacts', { firstname: 'B' });
    const c = s.portal.createObject('contacts', { firstname: 'C' });
    const merged = s.portal.mergeObjects('contacts', b.id, c.id);
    expect((await s.client.crm.contacts.basicApi.getById(c.id)).id).toBe(merged.id);
  });
});

describe('properties', () => {
  it('creates groups and properties, 409 on duplicates, validates values by type', async () => {
    const groups = s.client.crm.properties.groupsApi;
    await groups.create('contacts', { name: 'line', label: 'LINE', displayOrder: -1 });
    expect((await apiError(() => groups.create('contacts', { name: 'line', label: 'LINE' }))).code).toBe(409);
    expect((await groups.getByName('contacts', 'line')).label).toBe('LINE');
    const props = s.client.crm.properties.coreApi;
    const created = await props.create('contacts', {
      name: 'line_user_id', label: 'LINE user ID', type: 'string' as never, fieldType: 'text' as never, groupName: 'line', hasUniqueValue: true,
    });
    expect(created.hasUniqueValue).toBe(true);
    expect((await apiError(() => props.create('contacts', { name: 'line_user_id', label: 'x', type: 'string' as never, fieldType: 'text' as never, groupName: 'line' }))).code).toBe(409);
    await props.create('contacts', { name: 'line_unanswered', label: 'Unanswered', type: 'bool' as never, fieldType: 'booleancheckbox' as never, groupName: 'line',
      options: [{ label: 'Yes', value: 'true', hidden: false }, { label: 'No', value: 'false', hidden: false }] });
    await props.create('contacts', { name: 'line_follow_status', label: 'Follow', type: 'enumeration' as never, fieldType: 'select' as never, groupName: 'line',
      options: ['following', 'blocked', 'unknown'].map((v) => ({ label: v, value: v, hidden: false })) });
    const updated = await props.update('contacts', 'line_follow_status', { label: 'Follow status' });
    expect(updated.label).toBe('Follow status');
    expect((await props.getAll('contacts')).results.some((p) => p.name === 'line_unanswered')).toBe(true);

    const c1 = await s.client.crm.contacts.basicApi.create(contact('p1@example.com', { line_user_id: 'U1', line_unanswered: 'TRUE', line_follow_status: 'following' }));
    expect(c1.properties.line_unanswered).toBe('true');
    const dup = await apiError(() => s.client.crm.contacts.basicApi.create(contact('p2@example.com', { line_user_id: 'U1' })));
    expect(dup.code).toBe(409);
    const c2 = await s.client.crm.contacts.basicApi.create(contact('p2@example.com'));
    expect((await apiError(() => s.client.crm.contacts.basicApi.update(c2.id, { properties: { line_user_id: 'U1' } }))).code).toBe(409);
    expect((await apiError(() => s.client.crm.contacts.basicApi.update(c2.id, { properties: { line_unanswered: 'maybe' } }))).code).toBe(400);
    const upsert = await s.client.crm.contacts.batchApi.upsert({ inputs: [{ id: 'U1', idProperty: 'line_user_id', properties: { firstname: 'Via LINE' } }] });
    expect(upsert.results[0].id).toBe(c1.id);
  });

  it('caps unique-value properties at 10 per object type', async () => {
    for (let i = 0; i < 10; i++) {
      await s.client.crm.properties.coreApi.create('contacts', { name: `uniq_${i}`, label: `U${i}`, type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation', hasUniqueValue: true });
    }
    const err = await apiError(() => s.client.crm.properties.coreApi.create('contacts', { name: 'uniq_10', label: 'U10', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation', hasUniqueValue: true }));
    expect(err.code).toBe(400);
  });
});

describe('tasks, notes and associations', () => {
  it('creates a task associated to a contact (204) and reads associations v4', async () => {
    const c = await s.client.crm.contacts.basicApi.create(contact('t@example.com'));
    const owner = s.portal.owners[0];
    const task = await s.client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: new Date().toISOString(), hs_task_subject: 'Reply on LINE', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH', hubspot_owner_id: owner.id },
      associations: [{ to: { id: c.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 204 }] }],
    });
    expect(s.portal.tasks()[0].properties.hs_task_subject).toBe('Reply on LINE');
    const assoc = await s.client.crm.associations.v4.basicApi.getPage('contacts', c.id, 'tasks');
    expect(assoc.results).toHaveLength(1);
    expect(assoc.results[0].toObjectId).toBe(task.id);
    expect(assoc.results[0].associationTypes[0].typeId).toBe(203);
    const wrong = await apiError(() => s.client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: new Date().toISOString(), hs_note_body: 'x' },
      associations: [{ to: { id: c.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 204 }] }],
    }));
    expect(wrong.code).toBe(400);
    const noTimestamp = await apiError(() => s.client.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'x' }, associations: [] }));
    expect(noTimestamp.code).toBe(400);
    const note = await s.client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: String(Date.now()), hs_note_body: 'LINE: hello' },
      associations: [{ to: { id: c.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 202 }] }],
    });
    const withAssoc = await s.client.crm.objects.notes.basicApi.getById(note.id, ['hs_note_body'], undefined, ['contacts']);
    expect(withAssoc.associations?.contacts?.results[0]).toMatchObject({ id: c.id, type: 'note_to_contact' });
  });

  it('creates default, labelled and batch associations', async () => {
    const c = await s.client.crm.contacts.basicApi.create(contact('co@example.com'));
    const co = await s.client.crm.companies.basicApi.create({ properties: { name: 'ACME', domain: 'acme.example' }, associations: [] });
    await s.client.crm.associations.v4.basicApi.createDefault('contacts', c.id, 'companies', co.id);
    const labelled = await s.client.crm.associations.v4.basicApi.create('contacts', c.id, 'companies', co.id, [
      { associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 1 },
    ]);
    expect(labelled.labels).toEqual(['Primary']);
    const page = await s.client.crm.associations.v4.basicApi.getPage('companies', co.id, 'contacts');
    expect(page.results[0].associationTypes.map((t) => t.typeId).sort()).toEqual([2, 280]);
    const c2 = await s.client.crm.contacts.basicApi.create(contact('co2@example.com'));
    const batch = await s.client.crm.associations.v4.batchApi.create('contacts', 'companies', {
      inputs: [{ _from: { id: c2.id }, to: { id: co.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 279 }] }],
    });
    expect(batch.results).toHaveLength(1);
    const read = await s.client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: co.id }] });
    expect(read.results[0].to.map((t) => t.toObjectId).sort()).toEqual([c.id, c2.id].sort());
  });
});

describe('isolation', () => {
  it('a token sees only its own portal', async () => {
    const other = s.hs.createPortal();
    const otherClient = clientFor(s.hs, s.hs.issueTokens(other.portalId).accessToken);
    const mine = await s.client.crm.contacts.basicApi.create(contact('iso@example.com'));
    expect((await apiError(() => otherClient.crm.contacts.basicApi.getById(mine.id))).code).toBe(404);
    const theirs = await otherClient.crm.contacts.basicApi.create(contact('iso@example.com'));
    expect(theirs.id).not.toBe(mine.id);
    expect(s.portal.contacts()).toHaveLength(1);
    expect(other.contacts()).toHaveLength(1);
    const search = await otherClient.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: ['email'], limit: 10, after: '0' });
    expect(search.results.map((r) => r.id)).toEqual([theirs.id]);
  });
});
