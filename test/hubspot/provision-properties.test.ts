// Provisioning of the LINE contact property group and properties, against the HubSpot emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINE_GROUP_PROPERTY_BASES } from '../../backend/src/properties/company-properties.ts';
import { LINE_PROPERTY_BASES } from '../../backend/src/properties/property-names.ts';
import { provisionPortalProperties, provisionPropertiesJob } from '../../backend/src/accounts/provision-properties-job.ts';
import { enqueueProvisioning } from '../../backend/src/properties/provision-properties.ts';
import { clientFor } from '../emulators/hubspot/test-helpers.ts';
import { insertLineAccount, installThroughBrowser, jobsSettled, startWorld, type World } from '../install/harness.ts';

const EXPECTED_TYPES: Record<string, [string, string]> = {
  line_user_id: ['string', 'text'],
  line_display_name: ['string', 'text'],
  line_picture_url: ['string', 'text'],
  line_follow_status: ['enumeration', 'select'],
  line_friend_added_at: ['datetime', 'date'],
  line_linked_at: ['datetime', 'date'],
  line_unanswered: ['bool', 'booleancheckbox'],
  line_unanswered_message: ['string', 'textarea'],
  line_last_inbound_at: ['datetime', 'date'],
  line_last_outbound_at: ['datetime', 'date'],
};

describe('LINE contact property provisioning', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('sqlite');
  });
  afterAll(async () => {
    await world?.close();
  });

  async function installed(): Promise<number> {
    const portalId = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portalId);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, portalId);
    return portalId;
  }
  const lineProperties = (portalId: number) => world.hubspot.portal(portalId).properties('contacts').filter((p) => p.groupName === 'line');
  const writes = (portalId: number) => world.hubspot.calls.filter((c) => c.portalId === portalId && c.method !== 'GET').length;

  it('the install creates the "LINE" group and the ten properties of account 1 with their types and bilingual labels', async () => {
    const portalId = await installed();
    const group = world.hubspot.portal(portalId).groups('contacts').find((g) => g.name === 'line');
    expect(group?.label).toBe('LINE');
    const props = lineProperties(portalId);
    expect(props.map((p) => p.name).sort()).toEqual([...LINE_PROPERTY_BASES].sort());
    for (const p of props) {
      expect([p.type, p.fieldType]).toEqual(EXPECTED_TYPES[p.name]);
      expect(p.label).toMatch(/^LINE .+ \/ LINE.+$/);
      expect(p.hasUniqueValue).toBe(false);
    }
    expect(props.find((p) => p.name === 'line_user_id')?.label).toBe('LINE user ID / LINEユーザーID');
    expect(props.find((p) => p.name === 'line_follow_status')?.options.map((o) => o.value)).toEqual(['following', 'blocked', 'unknown']);
    expect(props.find((p) => p.name === 'line_unanswered')?.options.map((o) => o.value)).toEqual(['true', 'false']);
  });

  it('each further account N gets its _N properties, labelled " (N)" and described with the account\'s name', async () => {
    const portalId = await installed();
    await insertLineAccount(world.ctx, portalId, 1, 'Tokyo Store');
    await insertLineAccount(world.ctx, portalId, 2, 'Osaka Store');
    await enqueueProvisioning(world.ctx, portalId);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, portalId);
    const props = lineProperties(portalId);
    expect(props).toHaveLength(20);
    const second = props.find((p) => p.name === 'line_user_id_2')!;
    expect(second.label).toBe('LINE user ID / LINEユーザーID (2)');
    expect(second.description).toContain('Osaka Store');
    expect(second.description).toContain('account 2');
    expect(props.find((p) => p.name === 'line_unanswered_2')?.type).toBe('bool');
    expect(props.find((p) => p.name === 'line_user_id')?.description).toContain('Tokyo Store');
  });

  it('creates the "LINE group" company properties of every account, named per account as the contact properties are', async () => {
    const portalId = await installed();
    await insertLineAccount(world.ctx, portalId, 1, 'Tokyo Store');
    await insertLineAccount(world.ctx, portalId, 2, 'Osaka Store');
    await enqueueProvisioning(world.ctx, portalId);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, portalId);
    const portal = world.hubspot.portal(portalId);
    expect(portal.groups('companies').find((g) => g.name === 'line_group')?.label).toBe('LINE group / LINEグループ');
    const props = portal.properties('companies').filter((p) => p.groupName === 'line_group');
    expect(props.map((p) => p.name).sort()).toEqual([...LINE_GROUP_PROPERTY_BASES, ...LINE_GROUP_PROPERTY_BASES.map((b) => `${b}_2`)].sort());
    expect(props.find((p) => p.name === 'line_group_member_count_2')).toMatchObject({ type: 'number', fieldType: 'number', label: 'LINE group members / LINEグループ人数 (2)' });
    expect(props.find((p) => p.name === 'line_group_name')?.description).toContain('Tokyo Store');
    expect(props.find((p) => p.name === 'line_group_unanswered')?.options.map((o) => o.value)).toEqual(['true', 'false']);
    const before = writes(portalId);
    await provisionPortalProperties(world.ctx, portalId);
    expect(writes(portalId)).toBe(before); // all in place: reads only
  });

  it('is idempotent: a second run only reads; a definition changed in HubSpot is corrected with a PATCH', async () => {
    const portalId = await installed();
    const writesBefore = writes(portalId);
    expect(await provisionPortalProperties(world.ctx, portalId)).toEqual({ groupCreated: false, created: [], updated: [] });
    expect(writes(portalId)).toBe(writesBefore);

    const row = await world.ctx.db('portals').where({ portal_id: portalId }).first();
    const token = world.ctx.secrets.open(row.access_token, `portals:${portalId}:access_token`);
    const admin = clientFor(world.hubspot, token);
    await admin.crm.properties.coreApi.update('contacts', 'line_display_name', { label: 'Renamed by an admin' });
    await admin.crm.properties.coreApi.update('contacts', 'line_follow_status', { options: [{ label: 'Following', value: 'following', hidden: false }] });

    const result = await provisionPortalProperties(world.ctx, portalId);
    expect(result.updated.sort()).toEqual(['line_display_name', 'line_follow_status']);
    const props = lineProperties(portalId);
    expect(props.find((p) => p.name === 'line_display_name')?.label).toBe('LINE display name / LINE表示名');
    expect(props.find((p) => p.name === 'line_follow_status')?.options).toHaveLength(3);
    expect(result.created).toEqual([]);
  });

  it('a property HubSpot refuses to create (archived under that name) dead-letters the job with a clear message', async () => {
    const portalId = world.hubspot.createPortal().portalId;
    expect((await installThroughBrowser(world, portalId)).status).toBe(200);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, portalId);
    const token = world.ctx.secrets.open((await world.ctx.db('portals').where({ portal_id: portalId }).first()).access_token, `portals:${portalId}:access_token`);
    await clientFor(world.hubspot, token).crm.properties.coreApi.archive('contacts', 'line_linked_at');
    await enqueueProvisioning(world.ctx, portalId);
    await jobsSettled(world.ctx, provisionPropertiesJob.type, portalId);
    const dead = await world.ctx.db('jobs').where({ portal_id: portalId, type: provisionPropertiesJob.type, state: 'dead' }).first();
    expect(dead.last_error).toContain('line_linked_at');
    expect(dead.last_error).toContain('already exists');
  });

  it('queues at most one waiting provisioning job per portal', async () => {
    const portalId = world.hubspot.createPortal().portalId;
    await world.ctx.queue.pausePortal(portalId, Date.now() + 60_000, 'test: keep jobs waiting');
    await enqueueProvisioning(world.ctx, portalId);
    await enqueueProvisioning(world.ctx, portalId);
    const waiting = await world.ctx.db('jobs').where({ portal_id: portalId, type: provisionPropertiesJob.type, state: 'queued' });
    expect(waiting).toHaveLength(1);
    expect(waiting[0].partition_key).toBe(`${provisionPropertiesJob.type}:${portalId}`);
    await world.ctx.db('jobs').where({ portal_id: portalId }).delete();
    await world.ctx.queue.resumePortal(portalId);
  });
});
