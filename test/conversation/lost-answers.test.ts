// HubSpot did the work but its answer was lost (a 5xx after the commit): contacts, owner tasks and
// session notes exist exactly once in HubSpot, and the link / conversation rows point at them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOutboundMessage } from '../../backend/src/conversation/messages.ts';
import { updateConversation } from '../../backend/src/conversation/conversation-state.ts';
import type { SimUser } from '../emulators/line/index.ts';
import { engines, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startInboundWorld, type InboundAccount, type InboundWorld } from '../support/inbound-world.ts';
import { TEST_TIMINGS } from '../support/test-timings.ts';

const lostAnswer = (path: string) => ({ method: 'POST', path, status: 502, afterProcessing: true, times: 1 });

describe.each(engines())('lost answers to creates on %s', (engine) => {
  let db: TestDatabase;
  let world: InboundWorld;
  let ownerId: string;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await startInboundWorld({ databaseUrl: db.url, portal: { owners: [{ email: 'sales@example.com', firstName: 'Sato' }] } });
    ownerId = world.portal.owners[0].id;
  });
  afterAll(async () => {
    await world?.close();
    await db?.drop();
  });

  const contactsOf = (user: SimUser, idProperty = 'line_user_id') => world.portal.contacts().filter((c) => c.properties[idProperty] === user.userId);
  const engagementsOf = (type: 'tasks' | 'notes', contactId: string) =>
    world.portal.objects(type).filter((o) => world.portal.associations().some((a) => a.fromType === type && a.fromId === o.id && a.toType === 'contacts' && a.toId === contactId));
  const linkOf = (account: InboundAccount, user: SimUser) => world.ctx.db('line_links').where({ line_account_id: account.id, line_user_id: user.userId }).first();
  const conversationOf = async (account: InboundAccount, user: SimUser) => world.ctx.db('conversations').where({ link_id: (await linkOf(account, user)).id }).first();
  const creates = (path: string) => world.hubspot.calls.filter((c) => c.method === 'POST' && c.path === path).length;

  async function ownedUser(account: InboundAccount, name: string): Promise<SimUser> {
    const user = world.line.createUser({ displayName: name });
    world.portal.createObject('contacts', { firstname: name, line_user_id: user.userId, hubspot_owner_id: ownerId });
    await world.line.follow(account.channel.channelId, user.userId);
    await world.idle();
    return user;
  }

  it('contacts.batch.create: the contact made before the answer was lost is found and linked, not made again', async () => {
    const before = creates('/crm/v3/objects/contacts/batch/create');
    world.hubspot.faults.inject(lostAnswer('/crm/v3/objects/contacts/batch/create'));
    const user = world.line.createUser({ displayName: 'Lost Contact' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    const contacts = contactsOf(user);
    expect(contacts).toHaveLength(1);
    expect(creates('/crm/v3/objects/contacts/batch/create') - before).toBe(1);
    expect(await linkOf(world.account, user)).toMatchObject({ contact_id: Number(contacts[0].id), contact_create_started_at: null });
  });

  it('contacts.batch.create refused (400): nothing was made, so no guard holds back the retried job', async () => {
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', status: 400, times: 1 });
    const user = world.line.createUser({ displayName: 'Refused Contact' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    expect(contactsOf(user)).toHaveLength(0);
    expect(await linkOf(world.account, user)).toMatchObject({ contact_id: null, contact_create_started_at: null });
    expect(await world.ctx.queue.retryDead({ portalId: world.portal.portalId })).toBe(1);
    await world.idle();
    expect(contactsOf(user)).toHaveLength(1);
    expect(await linkOf(world.account, user)).toMatchObject({ contact_id: Number(contactsOf(user)[0].id), linked_via: 'auto_created' });
  });

  it('tasks.create: one task, which the conversation holds as its open task', async () => {
    const user = await ownedUser(world.account, 'Lost Task');
    const contactId = contactsOf(user)[0].id;
    world.hubspot.faults.inject(lostAnswer('/crm/v3/objects/tasks'));
    await world.line.sendText(world.account.channel.channelId, user.userId, 'is anyone there?');
    await world.idle();
    const tasks = engagementsOf('tasks', contactId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].properties).toMatchObject({ hs_task_status: 'NOT_STARTED', hubspot_owner_id: ownerId, hs_task_body: 'is anyone there?' });
    expect(await conversationOf(world.account, user)).toMatchObject({ open_task_id: tasks[0].id, task_create_marker: null });
  });

  it('tasks.create refused before HubSpot did anything: the task is created on the next attempt', async () => {
    const user = await ownedUser(world.account, 'Refused Task');
    const contactId = contactsOf(user)[0].id;
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/tasks', status: 502, times: 1 });
    await world.line.sendText(world.account.channel.channelId, user.userId, 'hello?');
    await world.idle();
    const tasks = engagementsOf('tasks', contactId);
    expect(tasks).toHaveLength(1);
    expect(await conversationOf(world.account, user)).toMatchObject({ open_task_id: tasks[0].id, task_create_marker: null });
  });

  it('a task made just before a crash, answered meanwhile: found and completed, not left open', async () => {
    const user = await ownedUser(world.account, 'Crashed Task');
    const contactId = contactsOf(user)[0].id;
    const link = await linkOf(world.account, user);
    // The backend stopped right after HubSpot made the task: only the marker was stored.
    const marker = Date.now() - 5_000;
    const task = world.portal.createObject('tasks', { hs_timestamp: new Date(marker).toISOString(), hs_task_subject: 'LINE: reply', hs_task_status: 'NOT_STARTED', hubspot_owner_id: ownerId }, [
      { to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
    ]);
    await updateConversation(world.ctx, world.portal.portalId, link.id, { task_create_marker: marker });
    const now = Date.now();
    const messageId = await insertOutboundMessage(world.ctx, {
      portalId: world.portal.portalId,
      accountId: world.account.id,
      lineUserId: user.userId,
      type: 'text',
      text: 'answered',
      payload: JSON.stringify({ type: 'text', text: 'answered' }),
      status: 'sent',
      sentBy: 'user:1',
      senderName: null,
      createdAt: now,
      sentAt: now,
    });
    await world.ctx.queue.enqueue({ type: 'conversation.outbound-sent', payload: { messageId }, dedupeKey: `conversation.outbound-sent:${messageId}`, portalId: world.portal.portalId });
    await world.idle();
    expect(engagementsOf('tasks', contactId).map((t) => [t.id, t.properties.hs_task_status])).toEqual([[task.id, 'COMPLETED']]);
    expect(await conversationOf(world.account, user)).toMatchObject({ open_task_id: null, task_create_marker: null });
  });

  it('notes.create: one session note, which the conversation holds and the next message extends', async () => {
    const notesAccount = await world.connectAccount({ timelineMode: 'notes' });
    const user = world.line.createUser({ displayName: 'Lost Note' });
    await world.line.follow(notesAccount.channel.channelId, user.userId);
    await world.idle();
    const contactId = contactsOf(user, `line_user_id_${notesAccount.sequence}`)[0].id;
    world.hubspot.faults.inject(lostAnswer('/crm/v3/objects/notes'));
    await world.line.sendText(notesAccount.channel.channelId, user.userId, 'first words');
    await world.idle();
    let notes = engagementsOf('notes', contactId);
    expect(notes).toHaveLength(1);
    expect(notes[0].properties.hs_note_body).toContain('first words');
    expect(await conversationOf(notesAccount, user)).toMatchObject({ note_id: notes[0].id, note_create_marker: null });

    await world.line.sendText(notesAccount.channel.channelId, user.userId, 'second words');
    await world.idle();
    notes = engagementsOf('notes', contactId);
    expect(notes).toHaveLength(1);
    expect(notes[0].properties.hs_note_body).toMatch(/first words[\s\S]*second words/);
    expect(await world.ctx.db('jobs').where({ state: 'dead' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

describe('a lost contact create while HubSpot search lags behind', () => {
  let world: InboundWorld;
  afterAll(async () => {
    await world?.close();
  });

  it('waits for the index to show the contact instead of creating a second one', async () => {
    // The index lags a quarter of the backend's recheck window (TEST_TIMINGS), as 5 s would against 10 s.
    world = await startInboundWorld({ hubspot: { searchIndexDelayMs: TEST_TIMINGS.contacts.searchIndexLagMs / 4 } });
    world.hubspot.faults.inject(lostAnswer('/crm/v3/objects/contacts/batch/create'));
    const user = world.line.createUser({ displayName: 'Slow Index' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    const contacts = world.portal.contacts().filter((c) => c.properties.line_user_id === user.userId);
    expect(contacts).toHaveLength(1);
    const searches = world.hubspot.calls.filter((c) => c.path === '/crm/v3/objects/contacts/search');
    expect(searches.length).toBeGreaterThan(2);
    const link = await world.ctx.db('line_links').where({ line_account_id: world.account.id, line_user_id: user.userId }).first();
    expect(link).toMatchObject({ contact_id: Number(contacts[0].id), linked_via: 'property_match', contact_create_started_at: null });
  }, 60_000);
});
