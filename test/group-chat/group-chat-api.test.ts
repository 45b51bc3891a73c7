// The company card's API over real HTTP, called as hubspot.fetch calls it (signed, identity appended):
// picking and linking one of the account's groups, unlinking, the group's history with each member who
// wrote, sending text and stickers (reply token first, push otherwise, once per client message id),
// retries, live updates, and a group the account left. Groups are made the way LINE makes them: the
// emulator's users in a group the bot joins, members writing through signed webhooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { waitUntil } from '../support/inbound-world.ts';
import type * as Group from '../../src/app/cards/group/types.ts';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
beforeAll(async () => {
  w = await startWorkflowWorld();
  await provisionPortalProperties(w.ctx, w.portalId);
});
afterAll(async () => w?.close());

const api = (path: string, o: { method?: string; body?: object; portalId?: number } = {}) => w.hubspotFetch(path, { portalId: o.portalId ?? w.portalId, method: o.method, body: o.body });
const channelId = () => w.account.channel.channelId;
const received = (groupId: string) => w.line.received(channelId(), groupId);
const companyProperties = (id: number) => w.hubspot.portal(w.portalId).objects('companies').find((c) => c.id === String(id))!.properties;
const newCompany = () => Number(w.hubspot.portal(w.portalId).createObject('companies', { name: 'Another Co' }).id);
const uuid = () => crypto.randomUUID();
/** The keys of T, each named once (the card's copy of the shape), to compare with a real answer's keys. */
const keysOf = <T>(keys: Record<keyof T, true>) => Object.keys(keys).sort();
const keysIn = (value: unknown) => Object.keys(value as object).sort();

async function memberWrites(groupId: string, userId: string, text: string) {
  await w.line.sendText(channelId(), userId, text, { groupId });
  await w.idle();
}

describe('linking a group from the company card', () => {
  it('lists the account\'s unlinked groups with their last message, links one, refuses linking it twice, and unlinks it', async () => {
    const group = await w.addLinkedGroup({ link: false });
    await memberWrites(group.groupId, group.memberIds[0], 'Hello from the customer');
    const before = await api(`/api/companies/${group.companyId}/line`);
    expect(before.status).toBe(200);
    const [entry] = before.body.accounts;
    expect(entry).toMatchObject({ account: { id: w.account.id }, group: null });
    expect(entry.unlinkedGroups).toContainEqual(expect.objectContaining({ groupId: group.groupId, lastMessage: { text: 'Hello from the customer', at: expect.any(Number) } }));
    expect(keysIn(entry)).toEqual(keysOf<Group.GroupAccountStatus>({ account: true, group: true, unlinkedGroups: true }));
    expect(keysIn(entry.unlinkedGroups[0])).toEqual(keysOf<Group.GroupSummary>({ groupId: true, name: true, pictureUrl: true, lastMessage: true }));

    const linked = await api(`/api/companies/${group.companyId}/line/${w.account.id}/link`, { body: { groupId: group.groupId } });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ group: { groupId: group.groupId, leftAt: null, unanswered: { text: 'Hello from the customer' } }, unlinkedGroups: [] });
    await w.idle();
    expect(companyProperties(group.companyId).line_group_id).toBe(group.groupId);
    expect(keysIn(linked.body.group)).toEqual(keysOf<Group.LinkedGroup>({ groupId: true, name: true, pictureUrl: true, lastMessage: true, memberCount: true, unanswered: true, leftAt: true }));

    const other = newCompany();
    const twice = await api(`/api/companies/${other}/line/${w.account.id}/link`, { body: { groupId: group.groupId } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('group_linked_elsewhere');
    const otherStatus = await api(`/api/companies/${other}/line`);
    expect(otherStatus.body.accounts[0].unlinkedGroups.map((g: { groupId: string }) => g.groupId)).not.toContain(group.groupId);

    const second = await w.addLinkedGroup({ link: false });
    const secondForSameCompany = await api(`/api/companies/${group.companyId}/line/${w.account.id}/link`, { body: { groupId: second.groupId } });
    expect(secondForSameCompany.body.error.code).toBe('company_already_linked');

    const unlinked = await api(`/api/companies/${group.companyId}/line/${w.account.id}/unlink`, { body: {} });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.group).toBeNull();
    expect(unlinked.body.unlinkedGroups.map((g: { groupId: string }) => g.groupId)).toContain(group.groupId);
    await w.idle();
    expect(companyProperties(group.companyId).line_group_id ?? '').toBe('');
  });

  it('answers 400 to a malformed group id and 404 to an account or group the portal does not have, changing nothing', async () => {
    const group = await w.addLinkedGroup({ link: false });
    const bad = await api(`/api/companies/${group.companyId}/line/${w.account.id}/link`, { body: { groupId: 'not-a-group' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('groupId');
    expect((await api(`/api/companies/${group.companyId}/line/999999/link`, { body: { groupId: group.groupId } })).status).toBe(404);
    expect((await api(`/api/companies/${group.companyId}/line/${w.account.id}/link`, { body: { groupId: `C${'0'.repeat(32)}` } })).status).toBe(404);
    expect((await api(`/api/companies/abc/line`)).status).toBe(400);
    expect((await api(`/api/companies/${group.companyId}/line`)).body.accounts[0].group).toBeNull();
  });
});

describe('the group chat', () => {
  it('shows the history with each member\'s message, sends by reply first and push after, once per client message id', async () => {
    const group = await w.addLinkedGroup({ members: 3 });
    const base = `/api/companies/${group.companyId}/messages`;
    await memberWrites(group.groupId, group.memberIds[0], 'Order #12 is late');
    await memberWrites(group.groupId, group.memberIds[1], 'Any news?');

    const history = await api(`${base}?accountId=${w.account.id}`);
    expect(history.status).toBe(200);
    expect(keysIn(history.body)).toEqual(keysOf<Group.GroupHistoryPage>({ messages: true, hasMore: true, cursor: true }));
    expect(keysIn(history.body.messages[0])).toEqual(
      keysOf<Group.GroupChatMessage>({ id: true, direction: true, status: true, content: true, error: true, canRetry: true, sender: true, createdAt: true, updatedAt: true, sentAt: true, readAt: true, member: true }),
    );
    expect(history.body.messages.map((m: { content: { text: string }; member: { lineUserId: string } }) => [m.content.text, m.member.lineUserId])).toEqual([
      ['Order #12 is late', group.memberIds[0]],
      ['Any news?', group.memberIds[1]],
    ]);

    const clientMessageId = uuid();
    const reply = await api(base, { body: { accountId: w.account.id, clientMessageId, text: 'Checking now' } });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ direction: 'outbound', status: 'sent', member: null, content: { kind: 'text', text: 'Checking now' } });
    const again = await api(base, { body: { accountId: w.account.id, clientMessageId, text: 'Checking now' } });
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(reply.body.message.id);
    const reused = await api(base, { body: { accountId: w.account.id, clientMessageId, text: 'Something else' } });
    expect(reused.body.error.code).toBe('client_message_id_reused');

    const sticker = await api(base, { body: { accountId: w.account.id, clientMessageId: uuid(), sticker: { packageId: '446', stickerId: '1988' } } });
    expect(sticker.status).toBe(201);
    expect(received(group.groupId).map((d) => [d.via, (d.messages[0] as { type: string }).type])).toEqual([['reply', 'text'], ['push', 'sticker']]);
    const push = w.line.requests.filter((r) => r.path === '/v2/bot/message/push').at(-1)!;
    expect(push.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a failed send by push with the same retry key, and LINE delivers it once', async () => {
    const group = await w.addLinkedGroup();
    const base = `/api/companies/${group.companyId}/messages`;
    // LINE refuses the reply (nothing sent), then takes the push but its answer is lost: the panel shows a failure.
    w.line.faults.inject({ path: '/v2/bot/message/reply', status: 500, times: 1 });
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, afterProcessing: true, times: 1 });
    const failed = await api(base, { body: { accountId: w.account.id, clientMessageId: uuid(), text: 'Delivery on Monday' } });
    expect(failed.body.message).toMatchObject({ status: 'failed', canRetry: true });
    const retried = await api(`${base}/${failed.body.message.id}/retry`, { body: { accountId: w.account.id } });
    expect(retried.status).toBe(200);
    expect(retried.body.message.status).toBe('sent');
    expect(received(group.groupId)).toHaveLength(1);
    const keys = w.line.requests.filter((r) => r.path === '/v2/bot/message/push' && JSON.stringify(r.body).includes('Delivery on Monday')).map((r) => r.headers['x-line-retry-key']);
    expect(new Set(keys).size).toBe(1);
    expect((await api(`${base}/${failed.body.message.id}/retry`, { body: { accountId: w.account.id } })).body.error.code).toBe('not_retryable');
  });

  it('answers a held update request as soon as a member writes', async () => {
    const group = await w.addLinkedGroup();
    const base = `/api/companies/${group.companyId}/messages`;
    const first = await api(`${base}?accountId=${w.account.id}`);
    const { after, since } = first.body.cursor;
    const waiting = api(`${base}/updates?accountId=${w.account.id}&after=${after}&since=${since}&waitMs=10000`);
    await waitUntil(() => w.hubspot.fetches.some((f) => f.path === `${base}/updates` && f.status === 0), 'the update request is held');
    await w.line.sendText(channelId(), group.memberIds[1], 'Arrived, thanks', { groupId: group.groupId });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.messages.map((m: { content: { text: string } }) => m.content.text)).toEqual(['Arrived, thanks']);
    expect(answer.body.nextPollMs).toBe(0);
    expect(keysIn(answer.body)).toEqual(keysOf<Group.GroupUpdatesAnswer>({ messages: true, cursor: true, nextPollMs: true }));
  });

  it('keeps the history of a group the account left, and refuses to send to it (409 group_left)', async () => {
    const group = await w.addLinkedGroup();
    const base = `/api/companies/${group.companyId}/messages`;
    await memberWrites(group.groupId, group.memberIds[0], 'Bye');
    await w.line.leaveGroup(channelId(), group.groupId);
    await w.idle();
    const status = await api(`/api/companies/${group.companyId}/line`);
    expect(status.body.accounts[0].group).toMatchObject({ groupId: group.groupId, leftAt: expect.any(Number), unanswered: null });
    expect((await api(`${base}?accountId=${w.account.id}`)).body.messages).toHaveLength(1);
    const send = await api(base, { body: { accountId: w.account.id, clientMessageId: uuid(), text: 'Hello?' } });
    expect(send.status).toBe(409);
    expect(send.body.error.code).toBe('group_left');
    expect(received(group.groupId)).toEqual([]);
  });

  it('finds out from LINE that the account was removed when the leave event never arrived: group_left, the group marked left, no retry', async () => {
    const group = await w.addLinkedGroup();
    const base = `/api/companies/${group.companyId}/messages`;
    // The group's reply token goes to an answer while the account is still in the group; the next send pushes.
    expect((await api(base, { body: { accountId: w.account.id, clientMessageId: uuid(), text: 'Noted' } })).body.message.status).toBe('sent');
    // A member removes the account; LINE's leave webhook never reaches the backend.
    w.line.events.leave(channelId(), group.groupId);
    const send = await api(base, { body: { accountId: w.account.id, clientMessageId: uuid(), text: 'Anyone there?' } });
    expect([send.status, send.body.error.code]).toEqual([409, 'group_left']);
    expect(received(group.groupId).map((d) => d.messages)).toEqual([[{ type: 'text', text: 'Noted' }]]);
    expect((await api(`/api/companies/${group.companyId}/line`)).body.accounts[0].group.leftAt).toEqual(expect.any(Number));
    const failed = (await api(`${base}?accountId=${w.account.id}`)).body.messages.at(-1);
    expect(failed).toMatchObject({ status: 'failed', canRetry: false, content: { text: 'Anyone there?' }, error: 'The LINE account is no longer in this group' });
    const retry = await api(`${base}/${failed.id}/retry`, { body: { accountId: w.account.id } });
    expect([retry.status, retry.body.error.code]).toEqual([409, 'group_left']);
    expect(w.line.requests.filter((r) => r.path === '/v2/bot/message/push' && JSON.stringify(r.body).includes('Anyone there?'))).toHaveLength(1);
    await w.idle();
    expect(companyProperties(group.companyId).line_group_left_at).toBeTruthy();
  });

  it('answers 409 group_not_linked for a company without a group, and 400 to a bad send, sending nothing', async () => {
    const company = newCompany();
    const none = await api(`/api/companies/${company}/messages?accountId=${w.account.id}`);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('group_not_linked');
    const group = await w.addLinkedGroup();
    const empty = await api(`/api/companies/${group.companyId}/messages`, { body: { accountId: w.account.id, clientMessageId: uuid(), text: '   ' } });
    expect(empty.status).toBe(400);
    expect(received(group.groupId)).toEqual([]);
  });
});
