// Issue 17 end to end: a LINE group from the bot joining to its removal, as LINE, HubSpot and an agent play
// it. The account joins a group of three (one already a contact); the agent links it to a company on the
// company card; members and the agent write both ways; a company workflow sends to the group and HubSpot
// retries that execution, which sends nothing twice; the account leaves, and the next workflow send answers
// not_linked while the card keeps the history and refuses to send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
beforeAll(async () => {
  w = await startWorkflowWorld();
  await provisionPortalProperties(w.ctx, w.portalId);
});
afterAll(async () => w?.close());

const api = (path: string, body?: object) => w.hubspotFetch(path, { portalId: w.portalId, method: body ? 'POST' : 'GET', body });
const answerOf = (e: { attempts: Array<{ body: unknown }> }) => (e.attempts.at(-1)!.body as { outputFields: Record<string, string> }).outputFields;

describe('a LINE group as a HubSpot company, from join to leave', () => {
  it('links, converses both ways, sends from a company workflow exactly once, and answers not_linked after the account left', async () => {
    const channelId = w.account.channel.channelId;
    const portal = w.hubspot.portal(w.portalId);
    const [known] = await w.addFriends(1); // a LINE friend whose contact already exists
    const [aiko, chika] = ['Aiko Tanaka', 'Chika Mori'].map((displayName) => w.line.createUser({ displayName }));
    const knownUser = known.lineUserId;
    const group = w.line.createGroup({ groupName: 'Tanaka Trading × Supplier', memberUserIds: [aiko.userId, knownUser, chika.userId] });
    await w.line.joinGroup(channelId, group.groupId);
    await w.idle();

    // The agent opens the company's card, finds the group among the account's unlinked groups and links it.
    const company = Number(portal.createObject('companies', { name: 'Tanaka Trading', city: '大阪' }).id);
    const card = await api(`/api/companies/${company}/line`);
    expect(card.body.accounts[0].unlinkedGroups).toContainEqual(expect.objectContaining({ groupId: group.groupId, name: 'Tanaka Trading × Supplier', pictureUrl: group.pictureUrl }));
    const linked = await api(`/api/companies/${company}/line/${w.account.id}/link`, { groupId: group.groupId });
    expect(linked.status).toBe(201);
    expect(linked.body.group).toMatchObject({ groupId: group.groupId, name: 'Tanaka Trading × Supplier', memberCount: 3 });

    // Members write; the agent answers from the chat panel (the group's reply token: free, no push).
    await w.line.sendText(channelId, aiko.userId, 'Order #12 is late', { groupId: group.groupId });
    await w.line.sendText(channelId, knownUser, 'Same for #13', { groupId: group.groupId });
    await w.line.sendSticker(channelId, chika.userId, '446', '1988', { groupId: group.groupId });
    await w.idle();
    const history = await api(`/api/companies/${company}/messages?accountId=${w.account.id}`);
    expect(history.body.messages.map((m: { member: { displayName: string } | null }) => m.member?.displayName)).toEqual(['Aiko Tanaka', 'Friend 0', 'Chika Mori']);
    expect((await api(`/api/companies/${company}/line`)).body.accounts[0].group.unanswered).toMatchObject({ text: '[Sticker]' });
    const answer = await api(`/api/companies/${company}/messages`, { accountId: w.account.id, clientMessageId: crypto.randomUUID(), text: 'Both ship tomorrow' });
    expect(answer.body.message.status).toBe('sent');
    await w.idle();
    expect((await api(`/api/companies/${company}/line`)).body.accounts[0].group.unanswered).toBeNull();

    // Members became the company's contacts: the known one kept its contact, the others got new ones.
    const members = portal.contacts().filter((c) => [aiko.userId, knownUser, chika.userId].includes(c.properties.line_user_id));
    expect(members).toHaveLength(3);
    expect(members.find((c) => c.properties.line_user_id === knownUser)!.id).toBe(String(known.contactId));
    const associated = portal.associations().filter((a) => a.fromType === 'companies' && a.fromId === String(company) && a.toType === 'contacts').map((a) => a.toId).sort();
    expect(associated).toEqual(members.map((c) => c.id).sort());

    // A company workflow sends to the group; HubSpot sends the same execution again, before and after it completed.
    const step = { message_1: '{{company.name}} 様: 年末年始の営業日のお知らせ' };
    const execution = await w.executeForCompany(company, step, { workflowId: 501 });
    expect(answerOf(execution).hs_execution_state).toBe('BLOCK');
    const retriedEarly = await w.executeForCompany(company, step, { callbackId: execution.callbackId });
    expect(answerOf(retriedEarly).hs_execution_state).toBe('BLOCK');
    await w.idle();
    const retriedLate = await w.executeForCompany(company, step, { callbackId: execution.callbackId });
    expect(answerOf(retriedLate)).toEqual({ line_delivery: 'sent', line_error: '', hs_execution_state: 'SUCCESS' });
    await w.idle();
    expect(portal.callbacksCompleted().filter((c) => c.callbackId === execution.callbackId).map((c) => c.outputFields.line_delivery)).toEqual(['sent']);
    const delivered = w.line.received(channelId, group.groupId).map((d) => [d.via, (d.messages[0] as { text?: string }).text]);
    expect(delivered).toEqual([
      ['reply', 'Both ship tomorrow'],
      ['push', 'Tanaka Trading 様: 年末年始の営業日のお知らせ'],
    ]);

    // The account is removed from the group: workflows answer not_linked, the card keeps the history only.
    await w.line.leaveGroup(channelId, group.groupId);
    await w.idle();
    const afterLeave = await w.executeForCompany(company, step);
    expect(answerOf(afterLeave)).toEqual({ line_delivery: 'not_linked', line_error: `${w.account.channel.displayName} is no longer in the company's LINE group`, hs_execution_state: 'SUCCESS' });
    const refused = await api(`/api/companies/${company}/messages`, { accountId: w.account.id, clientMessageId: crypto.randomUUID(), text: 'Hello?' });
    expect(refused.body.error.code).toBe('group_left');
    expect((await api(`/api/companies/${company}/messages?accountId=${w.account.id}`)).body.messages).toHaveLength(5);
    await w.idle();
    expect(w.line.received(channelId, group.groupId)).toHaveLength(2);
    expect(portal.objects('companies').find((c) => c.id === String(company))!.properties.line_group_left_at).toBeTruthy();
  });
});
