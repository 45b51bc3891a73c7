// A LINE group conversation from the bot joining to its removal, through the real webhook path (signed
// deliveries from the LINE emulator) and the worker, against the HubSpot emulator: the company named after
// the group, its "LINE group" properties, three members who write (one already a contact) as associated
// contacts, the conversation as a note on the company timeline, the unanswered flag and the company
// owner's task, member count, and the group marked left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { findGroup, linkGroup, unlinkGroup, unlinkedGroups, type GroupKey } from '../../backend/src/groups/groups.ts';
import { groupLinked, groupUnlinked, recordGroupMessageSent, sendableGroupOfCompany } from '../../backend/src/groups/group-outbound.ts';
import { insertGroupChatMessage, markGroupMessageSent } from '../../backend/src/groups/group-messages.ts';
import { startInboundWorld, waitUntil, type InboundWorld } from '../support/inbound-world.ts';

describe('a LINE group conversation as a HubSpot company', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await startInboundWorld({ account: { autoCreateCompanies: true } });
    await provisionPortalProperties(world.ctx, world.portal.portalId);
  });
  afterAll(async () => {
    await world.close();
  });

  const companyOf = (groupId: string) => world.portal.companies().filter((c) => c.properties.line_group_id === groupId);
  const associatedContacts = (companyId: string) =>
    world.portal.associations().filter((a) => a.fromType === 'companies' && a.fromId === companyId && a.toType === 'contacts').map((a) => a.toId).sort();
  const notesOf = (companyId: string) => {
    const ids = new Set(world.portal.associations().filter((a) => a.fromType === 'notes' && a.toType === 'companies' && a.toId === companyId).map((a) => a.fromId));
    return world.portal.notes().filter((n) => ids.has(n.id));
  };
  const tasksOf = (companyId: string) => {
    const ids = new Set(world.portal.associations().filter((a) => a.fromType === 'tasks' && a.toType === 'companies' && a.toId === companyId).map((a) => a.fromId));
    return world.portal.tasks().filter((t) => ids.has(t.id));
  };

  it('joins, creates the company, turns writing members into its contacts, logs, flags, tasks the owner, and leaves', async () => {
    const channelId = world.account.channel.channelId;
    const [aiko, ben, chika, dai] = ['Aiko Tanaka', 'Ben Ito', 'Chika Mori', 'Dai Sato'].map((displayName) => world.line.createUser({ displayName }));
    const known = world.portal.createObject('contacts', { email: 'ben@tanaka-trading.example', firstname: 'Ben', line_user_id: ben.userId });
    const group = world.line.createGroup({ groupName: 'Tanaka Trading × Supplier', memberUserIds: [aiko.userId, ben.userId, chika.userId] });
    const key: GroupKey = { portalId: world.portal.portalId, accountId: world.account.id, groupId: group.groupId };

    const joined = await world.line.joinGroup(channelId, group.groupId);
    await world.idle();
    const [company] = companyOf(group.groupId);
    expect(companyOf(group.groupId)).toHaveLength(1);
    expect(company.properties).toMatchObject({
      name: 'Tanaka Trading × Supplier',
      line_group_name: 'Tanaka Trading × Supplier',
      line_group_picture_url: group.pictureUrl,
      line_group_member_count: '3',
      line_group_joined_at: new Date(joined.events[0].timestamp).toISOString(),
      line_group_unanswered: 'false',
    });
    expect(await findGroup(world.ctx, key)).toMatchObject({ companyId: Number(company.id), linkedVia: 'auto_created', name: 'Tanaka Trading × Supplier' });

    const first = await world.line.sendText(channelId, aiko.userId, 'Order #12 is late', { groupId: group.groupId });
    await world.line.sendText(channelId, ben.userId, 'Same for #13', { groupId: group.groupId });
    await world.line.sendSticker(channelId, chika.userId, '446', '1988', { groupId: group.groupId });
    await world.line.redeliver(channelId, first.events[0].webhookEventId);
    await world.idle();

    // Three members wrote: Ben's contact existed (linked by its LINE user ID), Aiko and Chika got new ones.
    const memberContacts = world.portal.contacts().filter((c) => [aiko.userId, ben.userId, chika.userId].includes(c.properties.line_user_id));
    expect(memberContacts).toHaveLength(3);
    expect(memberContacts.find((c) => c.properties.line_user_id === ben.userId)!.id).toBe(known.id);
    expect(memberContacts.find((c) => c.properties.line_user_id === aiko.userId)!.properties).toMatchObject({ firstname: 'Aiko', lastname: 'Tanaka', line_display_name: 'Aiko Tanaka' });
    expect(associatedContacts(company.id)).toEqual(memberContacts.map((c) => c.id).sort());

    const flagged = companyOf(group.groupId)[0].properties;
    expect(flagged).toMatchObject({ line_group_unanswered: 'true', line_group_unanswered_message: '[Sticker]' });
    expect(flagged.line_group_last_inbound_at).toBeTruthy();
    const [note] = notesOf(company.id);
    expect(notesOf(company.id)).toHaveLength(1);
    expect(note.properties.hs_note_body).toContain('<strong>Aiko Tanaka</strong>: Order #12 is late');
    expect(note.properties.hs_note_body).toContain('<strong>Ben Ito</strong>: Same for #13');
    expect(note.properties.hs_note_body.match(/Order #12/g)).toHaveLength(1); // the redelivery changed nothing
    expect(tasksOf(company.id)).toEqual([]); // the company has no owner yet: nobody to tell

    const owner = world.portal.addOwner({ email: 'sales@supplier.example', firstName: 'Sato' });
    world.portal.updateObject('companies', company.id, { hubspot_owner_id: owner.id });
    await world.line.sendText(channelId, aiko.userId, 'Any news?', { groupId: group.groupId });
    await world.idle();
    const [task] = tasksOf(company.id);
    expect(tasksOf(company.id)).toHaveLength(1);
    expect(task.properties).toMatchObject({ hubspot_owner_id: owner.id, hs_task_status: 'NOT_STARTED' });
    expect(task.properties.hs_task_subject).toContain('Tanaka Trading × Supplier');
    expect(task.properties.hs_task_body).toContain('Any news?');
    expect(notesOf(company.id)).toHaveLength(1); // the same session: the note grew
    expect(notesOf(company.id)[0].properties.hs_note_body).toContain('Any news?');

    // An agent answers (as the chat panel records a send LINE accepted): the flag clears, the task completes.
    const answeredAt = Date.now();
    const answer = (await insertGroupChatMessage(world.ctx, { ...key, type: 'text', text: 'Shipping today', payload: JSON.stringify({ type: 'text', text: 'Shipping today' }), status: 'sending', sentBy: 'user:7', senderName: 'Sato', createdAt: answeredAt, clientMessageId: '9a3e1f0c-2b4d-4e6f-8a1b-3c5d7e9f1a2b' }))!;
    await markGroupMessageSent(world.ctx, key.portalId, answer, { lineMessageId: '1', quoteToken: null, via: 'push', at: answeredAt });
    await recordGroupMessageSent(world.ctx, (await findGroup(world.ctx, key))!, answer, answeredAt);
    await world.idle();
    expect(tasksOf(company.id)[0].properties.hs_task_status).toBe('COMPLETED');
    const answered = companyOf(group.groupId)[0].properties;
    expect(answered).toMatchObject({ line_group_unanswered: 'false', line_group_last_outbound_at: new Date(answeredAt).toISOString() });
    expect(answered.line_group_unanswered_message ?? '').toBe(''); // cleared
    expect(notesOf(company.id)[0].properties.hs_note_body).toContain('<strong>Sato</strong>: Shipping today');

    await world.line.memberJoined(channelId, group.groupId, [dai.userId]);
    await world.line.memberLeft(channelId, group.groupId, [chika.userId]);
    await world.idle();
    expect(companyOf(group.groupId)[0].properties.line_group_member_count).toBe('3');
    expect(await sendableGroupOfCompany(world.ctx, key.portalId, key.accountId, Number(company.id))).toMatchObject({ groupId: group.groupId });

    const left = await world.line.leaveGroup(channelId, group.groupId);
    await world.idle();
    expect(companyOf(group.groupId)[0].properties.line_group_left_at).toBe(new Date(left.events[0].timestamp).toISOString());
    expect(await findGroup(world.ctx, key)).toMatchObject({ companyId: Number(company.id), leftAt: left.events[0].timestamp });
    // Sends to a group the account left answer "not linked".
    expect(await sendableGroupOfCompany(world.ctx, key.portalId, key.accountId, Number(company.id))).toBeUndefined();
    expect(world.portal.companies().filter((c) => c.properties.line_group_id === group.groupId)).toHaveLength(1);
    expect(await world.ctx.db('jobs').where({ state: 'dead' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('gives a member who writes in the group and to the account at once one contact, associated with the company', async () => {
    const channelId = world.account.channel.channelId;
    const fumi = world.line.createUser({ displayName: 'Fumi Ono' });
    const group = world.line.createGroup({ groupName: 'Ono Metals', memberUserIds: [fumi.userId] });
    await world.line.joinGroup(channelId, group.groupId);
    await world.idle();
    const inGroup = world.line.events.text(channelId, fumi.userId, 'Hi all', { groupId: group.groupId });
    const direct = world.line.events.text(channelId, fumi.userId, 'Hi you');
    expect((await world.line.deliver(channelId, [inGroup, direct])).status).toBe(200);
    await world.idle();
    const contacts = world.portal.contacts().filter((c) => c.properties.line_user_id === fumi.userId);
    expect(contacts).toHaveLength(1);
    expect(associatedContacts(companyOf(group.groupId)[0].id)).toEqual([contacts[0].id]);
  });

  it('makes one company for a group even when HubSpot made it but its answer was lost', async () => {
    const channelId = world.account.channel.channelId;
    const group = world.line.createGroup({ groupName: 'Lost Answer Co' });
    const creates = () => world.hubspot.calls.filter((c) => c.method === 'POST' && c.path === '/crm/v3/objects/companies').length;
    const before = creates();
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/companies', status: 502, afterProcessing: true, times: 1 });
    await world.line.joinGroup(channelId, group.groupId);
    await world.idle();
    const companies = world.portal.companies().filter((c) => c.properties.name === 'Lost Answer Co');
    expect(companies).toHaveLength(1);
    expect(creates() - before).toBe(1); // the retry found the company instead of creating another
    expect(await findGroup(world.ctx, { portalId: world.portal.portalId, accountId: world.account.id, groupId: group.groupId })).toMatchObject({ companyId: Number(companies[0].id) });
  });

  it('without auto-created companies, lists the group for an agent, who links it to a company once', async () => {
    const other = await world.connectAccount({ autoCreateCompanies: false });
    await provisionPortalProperties(world.ctx, world.portal.portalId);
    const [eri] = [world.line.createUser({ displayName: 'Eri Kato' })];
    const group = world.line.createGroup({ groupName: 'Kato Foods', memberUserIds: [eri.userId] });
    const key: GroupKey = { portalId: world.portal.portalId, accountId: other.id, groupId: group.groupId };
    await world.line.joinGroup(other.channel.channelId, group.groupId);
    await world.line.sendText(other.channel.channelId, eri.userId, 'Hello from Kato Foods', { groupId: group.groupId });
    await world.idle();
    expect(world.portal.companies().filter((c) => c.properties.name === 'Kato Foods')).toEqual([]);
    expect((await unlinkedGroups(world.ctx, key.portalId, other.id)).map((g) => [g.groupId, g.name])).toEqual([[group.groupId, 'Kato Foods']]);

    const company = world.portal.createObject('companies', { name: 'Kato Foods K.K.' });
    expect(await linkGroup(world.ctx, key, Number(company.id), 'card')).toBe('linked');
    await groupLinked(world.ctx, (await findGroup(world.ctx, key))!);
    await world.idle();
    const suffix = `_${other.sequence}`;
    await waitUntil(() => world.portal.companies().find((c) => c.id === company.id)!.properties[`line_group_id${suffix}`] === group.groupId, 'the company has the group properties');
    const eriContact = world.portal.contacts().find((c) => c.properties[`line_user_id${suffix}`] === eri.userId)!;
    expect(associatedContacts(company.id)).toEqual([eriContact.id]);
    expect(world.portal.companies().find((c) => c.id === company.id)!.properties[`line_group_unanswered${suffix}`]).toBe('true');
    expect(await unlinkedGroups(world.ctx, key.portalId, other.id)).toEqual([]);

    // Unlinked on the card: the company no longer shows the group, which the agent may link again.
    expect(await unlinkGroup(world.ctx, key, Number(company.id))).toBe(true);
    await groupUnlinked(world.ctx, (await findGroup(world.ctx, key))!, Number(company.id));
    await world.idle();
    expect(world.portal.companies().find((c) => c.id === company.id)!.properties[`line_group_id${suffix}`] ?? '').toBe('');
    expect((await unlinkedGroups(world.ctx, key.portalId, other.id)).map((g) => g.groupId)).toEqual([group.groupId]);
  });
});
