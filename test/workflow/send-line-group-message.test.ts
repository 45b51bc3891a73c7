// The company action "Send LINE message to group", run by the HubSpot emulator as HubSpot runs a company
// workflow: the same inputs, templates, outputs and exactly-once rules as the contact action, with
// {{company.<property>}} tokens, sent by push to the LINE group linked to the enrolled company.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupHistoryPage } from '../../backend/src/groups/group-messages.ts';
import { findGroup, unlinkGroup } from '../../backend/src/groups/groups.ts';
import { waitUntil } from '../support/inbound-world.ts';
import { startWorkflowWorld, type LinkedGroup, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
beforeEach(async () => {
  w = await startWorkflowWorld();
});
afterEach(async () => w?.close());

const completion = (callbackId: string) => w.hubspot.portal(w.portalId).callbacksCompleted().filter((c) => c.callbackId === callbackId);
const received = (groupId: string) => w.line.received(w.account.channel.channelId, groupId);
const answerOf = (e: { attempts: Array<{ body: unknown }> }) => e.attempts.at(-1)!.body as { outputFields: Record<string, string> };
const groupKey = (g: LinkedGroup) => ({ portalId: w.portalId, accountId: w.account.id, groupId: g.groupId });

async function completed(callbackId: string) {
  await waitUntil(() => completion(callbackId).length > 0, `callback ${callbackId} completed`);
  await w.idle();
  return completion(callbackId);
}

describe('an execution for a company linked to a LINE group', () => {
  it('pushes the messages with company values filled in, once, logs them in the group chat and completes with sent', async () => {
    const group = await w.addLinkedGroup({ company: { name: 'ACME', city: '大阪' } });
    const callsBefore = w.hubspot.calls.length;
    const execution = await w.executeForCompany(group.companyId, { message_1: '{{company.name}} の皆様、{{company.city | default: "本社"}}より', message_2: JSON.stringify({ type: 'sticker', packageId: '446', stickerId: '1988' }) }, { workflowId: 77 });
    expect(answerOf(execution)).toEqual({ outputFields: { hs_execution_state: 'BLOCK' } });
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields).toEqual({ line_delivery: 'sent', line_error: '', hs_execution_state: 'SUCCESS' });
    const deliveries = received(group.groupId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ via: 'push', messages: [{ type: 'text', text: 'ACME の皆様、大阪より' }, { type: 'sticker', packageId: '446', stickerId: '1988' }] });
    // The values came with the execution (objectRequestOptions): no property reads.
    expect(w.hubspot.calls.slice(callsBefore).filter((c) => c.path.includes('/batch/read') || c.path.startsWith('/crm/v3/properties'))).toEqual([]);
    const { rows } = await groupHistoryPage(w.ctx, groupKey(group), { limit: 10 });
    expect(rows.map((r) => [r.direction, r.status, r.text, r.sender_name])).toEqual([
      ['outbound', 'sent', 'ACME の皆様、大阪より', 'Workflow 77'],
      ['outbound', 'sent', null, 'Workflow 77'],
    ]);
  });

  it('reads company properties the execution did not carry from HubSpot\'s companies, and fails a token naming a property companies do not have', async () => {
    const group = await w.addLinkedGroup({ company: { name: 'ACME' } });
    const read = await w.executeForCompany(group.companyId, { message_1: 'Customer since {{company.createdate}}' });
    expect((await completed(read.callbackId))[0].outputFields.line_delivery).toBe('sent');
    const createdate = w.hubspot.portal(w.portalId).objects('companies').find((c) => c.id === String(group.companyId))!.properties.createdate;
    expect(received(group.groupId)[0].messages).toEqual([{ type: 'text', text: `Customer since ${createdate}` }]);
    expect(w.hubspot.calls.filter((c) => c.path === '/crm/v3/objects/companies/batch/read')).toHaveLength(1);
    const unknown = await w.executeForCompany(group.companyId, { message_1: 'Hi {{company.favourite_colour}}' });
    expect((await completed(unknown.callbackId))[0].outputFields).toMatchObject({
      line_delivery: 'failed',
      line_error: 'message_1: {{company.favourite_colour}} names a company property that does not exist in this HubSpot account (favourite_colour)',
    });
    expect(received(group.groupId)).toHaveLength(1);
  });

  it('answers failed at once for a contact token, which a company workflow cannot fill in', async () => {
    const group = await w.addLinkedGroup();
    const execution = await w.executeForCompany(group.companyId, { message_1: 'Hi {{contact.firstname}}' });
    expect(answerOf(execution).outputFields).toEqual({ line_delivery: 'failed', line_error: 'message_1: {{contact.firstname}} is not a company token: write {{company.<property internal name>}}', hs_execution_state: 'SUCCESS' });
    await w.idle();
    expect(received(group.groupId)).toEqual([]);
  });

  it('sends once when HubSpot sends the same callbackId again, before and after completion', async () => {
    const group = await w.addLinkedGroup();
    // LINE takes its time with the push: the first execution is still running when the same callbackId comes again.
    w.line.faults.inject({ path: '/v2/bot/message/push', delayMs: 500 });
    const first = await w.executeForCompany(group.companyId, { message_1: 'Only once' });
    const again = await w.executeForCompany(group.companyId, { message_1: 'Only once' }, { callbackId: first.callbackId });
    expect(answerOf(again).outputFields.hs_execution_state).toBe('BLOCK');
    await completed(first.callbackId);
    const late = await w.executeForCompany(group.companyId, { message_1: 'Only once' }, { callbackId: first.callbackId });
    expect(answerOf(late)).toEqual({ outputFields: { line_delivery: 'sent', line_error: '', hs_execution_state: 'SUCCESS' } });
    await w.idle();
    expect(received(group.groupId)).toHaveLength(1);
    expect(completion(first.callbackId)).toHaveLength(1);
  });

  it('counts a push whose answer was lost as sent: the retry carries the same key and LINE answers 409', async () => {
    const group = await w.addLinkedGroup();
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, afterProcessing: true });
    const execution = await w.executeForCompany(group.companyId, { message_1: 'Lost answer' });
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields).toMatchObject({ line_delivery: 'sent' });
    expect(received(group.groupId)).toHaveLength(1);
    const pushes = w.line.requests.filter((r) => r.path === '/v2/bot/message/push');
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
  });

  it('pushes to each of several groups with the same message (a multicast takes users only)', async () => {
    const groups = [await w.addLinkedGroup(), await w.addLinkedGroup()];
    const executions = await Promise.all(groups.map((g) => w.executeForCompany(g.companyId, { message_1: 'Holiday notice' })));
    for (const e of executions) await completed(e.callbackId);
    for (const g of groups) expect(received(g.groupId)).toHaveLength(1);
    expect(w.line.requests.filter((r) => r.path === '/v2/bot/message/multicast')).toEqual([]);
  });
});

describe('an execution for a company without a LINE group', () => {
  it('answers not_linked at once for a company no group is linked to, and for one whose group the account left', async () => {
    const lonely = w.hubspot.portal(w.portalId).createObject('companies', { name: 'No group' });
    const none = await w.executeForCompany(Number(lonely.id), { message_1: 'x' });
    expect(answerOf(none).outputFields).toEqual({ line_delivery: 'not_linked', line_error: `The company is not linked to a LINE group of ${w.account.channel.displayName}`, hs_execution_state: 'SUCCESS' });
    const group = await w.addLinkedGroup();
    await w.line.leaveGroup(w.account.channel.channelId, group.groupId);
    await w.idle();
    const left = await w.executeForCompany(group.companyId, { message_1: 'x' });
    expect(answerOf(left).outputFields).toEqual({ line_delivery: 'not_linked', line_error: `${w.account.channel.displayName} is no longer in the company's LINE group`, hs_execution_state: 'SUCCESS' });
    await w.idle();
    expect(received(group.groupId)).toEqual([]);
  });

  it('ends not_linked and records the group left when the push finds the account removed and LINE\'s leave event never came', async () => {
    const group = await w.addLinkedGroup();
    // The account is removed from the group; the leave event is made but never delivered to the backend.
    w.line.events.leave(w.account.channel.channelId, group.groupId);
    const execution = await w.executeForCompany(group.companyId, { message_1: 'Anyone there?' });
    expect((await completed(execution.callbackId))[0].outputFields).toEqual({
      line_delivery: 'not_linked',
      line_error: `${w.account.channel.displayName} is no longer in the company's LINE group`,
      hs_execution_state: 'SUCCESS',
    });
    expect(received(group.groupId)).toEqual([]);
    expect((await findGroup(w.ctx, groupKey(group)))?.leftAt).toEqual(expect.any(Number));
    // The next execution ends not_linked at once, without asking LINE.
    const next = await w.executeForCompany(group.companyId, { message_1: 'x' });
    expect(answerOf(next).outputFields.line_delivery).toBe('not_linked');
  });

  it('ends not_linked without sending when the group is unlinked between the execution and its send', async () => {
    const group = await w.addLinkedGroup();
    // The send waits for a company property HubSpot cannot give yet; meanwhile an agent unlinks the group.
    w.hubspot.faults.inject({ path: '/crm/v3/objects/companies/batch/read', status: 503, times: 1000 });
    const execution = await w.executeForCompany(group.companyId, { message_1: 'Owner: {{company.hubspot_owner_id | default: "-"}}' });
    expect(answerOf(execution).outputFields.hs_execution_state).toBe('BLOCK');
    const sendJobRetried = async () => Boolean(await w.ctx.db('jobs').where({ type: 'workflow.send', state: 'queued' }).whereNotNull('last_error').first());
    await waitUntil(sendJobRetried, 'the send put off until HubSpot answers');
    expect(await unlinkGroup(w.ctx, groupKey(group), group.companyId)).toBe(true);
    w.hubspot.faults.clear();
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields).toEqual({ line_delivery: 'not_linked', line_error: `The company is not linked to a LINE group of ${w.account.channel.displayName}`, hs_execution_state: 'SUCCESS' });
    expect(received(group.groupId)).toEqual([]);
  });

  it('answers 400 to an execution of a contact workflow, which this company action is not for', async () => {
    const [friend] = await w.addFriends(1);
    const res = await w.executeForCompany(friend.contactId, { message_1: 'x' }, { object: { objectId: friend.contactId, objectType: 'CONTACT' } });
    expect(res.attempts.map((a) => a.status)).toEqual([400]);
    expect(await w.ctx.db('workflow_executions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
