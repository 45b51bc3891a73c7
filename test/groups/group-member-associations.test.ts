// A member who keeps writing in a linked group is associated with the company once, not on every message;
// when their contact goes (deleted in HubSpot, which unlinks it) their next message gives them a contact
// again, associated with the company; linking the group again associates every member afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { groupLinked, groupUnlinked } from '../../backend/src/groups/group-outbound.ts';
import { findGroup, linkGroup, unlinkGroup } from '../../backend/src/groups/groups.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';

describe('group members associated with the company', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await startInboundWorld();
    await provisionPortalProperties(world.ctx, world.portal.portalId);
  });
  afterAll(async () => {
    await world.close();
  });

  const associateCalls = () => world.hubspot.calls.filter((c) => c.path === '/crm/v4/associations/companies/contacts/batch/associate/default').length;
  /** The company's contacts that still exist. */
  const companyContacts = (companyId: string) => {
    const live = new Set(world.portal.contacts().map((c) => c.id));
    return world.portal.associations().filter((a) => a.fromType === 'companies' && a.fromId === companyId && a.toType === 'contacts' && live.has(a.toId)).map((a) => a.toId);
  };

  it('once per company and contact, again for a new contact, and again when the group is linked anew', async () => {
    const channelId = world.account.channel.channelId;
    const aiko = world.line.createUser({ displayName: 'Aiko Tanaka' });
    const group = world.line.createGroup({ groupName: 'Tanaka Trading', memberUserIds: [aiko.userId] });
    await world.line.joinGroup(channelId, group.groupId);
    await world.idle();
    // An agent links the group to a company on the card.
    const company = world.portal.createObject('companies', { name: 'Tanaka Trading' });
    const key = { portalId: world.portal.portalId, accountId: world.account.id, groupId: group.groupId };
    expect(await linkGroup(world.ctx, key, Number(company.id), 'card')).toBe('linked');
    await groupLinked(world.ctx, (await findGroup(world.ctx, key))!);
    await world.idle();

    await world.line.sendText(channelId, aiko.userId, 'Hello', { groupId: group.groupId });
    await world.idle();
    const first = world.portal.contacts().find((c) => c.properties.line_user_id === aiko.userId)!;
    expect(companyContacts(company.id)).toEqual([first.id]);
    const calls = associateCalls();
    for (const text of ['Order #12 is late', 'Any news?']) {
      await world.line.sendText(channelId, aiko.userId, text, { groupId: group.groupId });
      await world.idle();
    }
    expect(associateCalls()).toBe(calls);

    world.portal.archiveObject('contacts', first.id);
    const deletion = await world.hubspot.sendWebhooks(`${world.backend.url}/hubspot/webhooks`, [{ subscriptionType: 'contact.deletion', portalId: world.portal.portalId, objectId: Number(first.id) }]);
    expect(deletion.status).toBeLessThan(300);
    await world.idle();
    await world.line.sendText(channelId, aiko.userId, 'Still there?', { groupId: group.groupId });
    await world.idle();
    const second = world.portal.contacts().find((c) => c.properties.line_user_id === aiko.userId && c.id !== first.id)!;
    expect(second).toBeDefined();
    expect(companyContacts(company.id)).toEqual([second.id]);

    // Unlinked and linked again on the card: an agent may have removed associations meanwhile.
    expect(await unlinkGroup(world.ctx, key, Number(company.id))).toBe(true);
    await groupUnlinked(world.ctx, (await findGroup(world.ctx, key))!, Number(company.id));
    await world.idle();
    expect(await linkGroup(world.ctx, key, Number(company.id), 'card')).toBe('linked');
    const relinked = associateCalls();
    await groupLinked(world.ctx, (await findGroup(world.ctx, key))!);
    await world.idle();
    expect(associateCalls()).toBe(relinked + 1);
  });
});
