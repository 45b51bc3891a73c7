// The unanswered flag, the owner's task and the last inbound/outbound dates, as inbound messages and
// the chat feature's conversation.outbound-sent jobs change them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUser } from '../emulators/line/index.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';

describe('unanswered conversations and owner tasks', () => {
  let world: InboundWorld;
  let ownerId: string;
  beforeAll(async () => {
    world = await startInboundWorld({ portal: { owners: [{ email: 'sales@example.com', firstName: 'Sato' }] } });
    ownerId = world.portal.owners[0].id;
  });
  afterAll(async () => {
    await world.close();
  });

  const channelId = () => world.account.channel.channelId;
  const contactOf = (user: SimUser) => world.portal.contacts().find((c) => c.properties.line_user_id === user.userId)!;
  const tasksOf = (contactId: string) =>
    world.portal.tasks().filter((t) => world.portal.associations().some((a) => a.fromType === 'tasks' && a.fromId === t.id && a.toType === 'contacts' && a.toId === contactId && a.types.some((s) => s.associationTypeId === 204)));

  async function ownedUser(name: string): Promise<SimUser> {
    const user = world.line.createUser({ displayName: name });
    world.portal.createObject('contacts', { firstname: name, line_user_id: user.userId, hubspot_owner_id: ownerId });
    await world.line.follow(channelId(), user.userId);
    await world.idle();
    return user;
  }

  it('a message makes the contact unanswered and gives its owner one task, due now, with the message', async () => {
    const user = await ownedUser('Owned');
    const sent = await world.line.sendText(channelId(), user.userId, '在庫はありますか？');
    await world.idle();
    const contact = contactOf(user);
    expect(contact.properties).toMatchObject({
      line_unanswered: 'true',
      line_unanswered_message: '在庫はありますか？',
      line_last_inbound_at: new Date(sent.events[0].timestamp).toISOString(),
    });
    const tasks = tasksOf(contact.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].properties).toMatchObject({ hubspot_owner_id: ownerId, hs_task_status: 'NOT_STARTED', hs_task_body: '在庫はありますか？' });
    const due = Date.parse(tasks[0].properties.hs_timestamp);
    expect(due).toBeGreaterThanOrEqual(sent.events[0].timestamp);
    expect(due).toBeLessThanOrEqual(Date.now());

    await world.line.sendSticker(channelId(), user.userId, '446', '1988');
    await world.idle();
    expect(tasksOf(contact.id)).toHaveLength(1);
    expect(contactOf(user).properties.line_unanswered_message).toBe('[Sticker]');
  });

  it('an answer clears the flag, sets the last outbound date and completes the task; the next message opens a new one', async () => {
    const user = await ownedUser('Answered');
    await world.line.sendText(channelId(), user.userId, 'question');
    await world.idle();
    const contactId = contactOf(user).id;
    await world.answer(user.userId, 'here is the answer');
    const props = contactOf(user).properties;
    expect(props.line_unanswered).toBe('false');
    expect(props.line_unanswered_message ?? '').toBe('');
    expect(props.line_last_outbound_at).toBeTruthy();
    expect(tasksOf(contactId).map((t) => t.properties.hs_task_status)).toEqual(['COMPLETED']);

    await world.line.sendText(channelId(), user.userId, 'follow-up question');
    await world.idle();
    expect(tasksOf(contactId).map((t) => t.properties.hs_task_status).sort()).toEqual(['COMPLETED', 'NOT_STARTED']);
    expect(contactOf(user).properties.line_unanswered).toBe('true');
  });

  it('no owner, no task', async () => {
    const user = world.line.createUser({ displayName: 'Ownerless' });
    await world.line.follow(channelId(), user.userId);
    await world.line.sendText(channelId(), user.userId, 'anyone there?');
    await world.idle();
    expect(contactOf(user).properties.line_unanswered).toBe('true');
    expect(tasksOf(contactOf(user).id)).toHaveLength(0);
  });

  it('no task when the account has owner tasks turned off', async () => {
    const quiet = await world.connectAccount({ ownerTasks: false });
    const user = world.line.createUser({ displayName: 'Quiet' });
    const contact = world.portal.createObject('contacts', { firstname: 'Quiet', [`line_user_id_${quiet.sequence}`]: user.userId, hubspot_owner_id: ownerId });
    await world.line.follow(quiet.channel.channelId, user.userId);
    await world.line.sendText(quiet.channel.channelId, user.userId, 'hello');
    await world.idle();
    expect(world.portal.contacts().find((c) => c.id === contact.id)!.properties[`line_unanswered_${quiet.sequence}`]).toBe('true');
    expect(tasksOf(contact.id)).toHaveLength(0);
  });

  it('an unsent message is hidden: text cleared, the unanswered message no longer shows it', async () => {
    const user = await ownedUser('Unsender');
    const sent = await world.line.sendText(channelId(), user.userId, 'my phone number is 090-0000-0000');
    await world.idle();
    const lineMessageId = String((sent.events[0].message as { id: string }).id);
    await world.line.unsend(channelId(), user.userId, lineMessageId);
    await world.idle();
    const row = await world.ctx.db('messages').where({ line_message_id: lineMessageId }).first();
    expect(row).toMatchObject({ status: 'unsent', text: null });
    expect(row.payload).not.toContain('090-0000-0000');
    expect(Number(row.unsent_at)).toBeGreaterThan(0);
    expect(contactOf(user).properties.line_unanswered_message).toBe('[Unsent]');
  });

  it('an edited message shows its new text', async () => {
    const user = await ownedUser('Editor');
    const sent = await world.line.sendText(channelId(), user.userId, 'see you at 3');
    await world.idle();
    const lineMessageId = String((sent.events[0].message as { id: string }).id);
    await world.line.editMessage(channelId(), user.userId, lineMessageId, 'see you at 4');
    await world.idle();
    expect((await world.ctx.db('messages').where({ line_message_id: lineMessageId }).first()).text).toBe('see you at 4');
    expect(contactOf(user).properties.line_unanswered_message).toBe('see you at 4');
  });

  it('stores every message of the conversation log with its LINE ids', async () => {
    const user = await ownedUser('Logger');
    const sent = await world.line.sendText(channelId(), user.userId, 'log me');
    await world.idle();
    const m = sent.events[0].message as { id: string; quoteToken: string; markAsReadToken: string };
    expect(await world.ctx.db('messages').where({ line_message_id: m.id }).first()).toMatchObject({
      direction: 'inbound',
      status: 'received',
      type: 'text',
      text: 'log me',
      quote_token: m.quoteToken,
      mark_as_read_token: m.markAsReadToken,
      webhook_event_id: sent.events[0].webhookEventId,
      portal_id: world.portal.portalId,
    });
  });
});
