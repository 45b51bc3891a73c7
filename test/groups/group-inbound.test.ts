// Group events through the real webhook path (signed deliveries from the LINE emulator): members' messages
// land in the group's own log with their sender, never in a 1:1 conversation; a redelivery stores nothing
// twice; an unsend drops the text, an edit replaces it; the group's reply token is kept for one send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHistoryPage } from '../../backend/src/groups/group-messages.ts';
import { findGroup, takeGroupReplyToken, type GroupKey } from '../../backend/src/groups/groups.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';

describe('group messages through the webhook', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await startInboundWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('logs what members write in the group, once, with the sender, and keeps the reply token', async () => {
    const channelId = world.account.channel.channelId;
    const [aiko, ben] = [world.line.createUser({ displayName: 'Aiko' }), world.line.createUser({ displayName: 'Ben' })];
    const group = world.line.createGroup({ groupName: 'Tanaka Trading', memberUserIds: [aiko.userId, ben.userId] });
    const key: GroupKey = { portalId: world.portal.portalId, accountId: world.account.id, groupId: group.groupId };
    // The bot is in the group before the backend heard of the join (lost event): the first message records the group.
    world.line.events.join(channelId, group.groupId);
    const hello = await world.line.sendText(channelId, aiko.userId, 'Order #12 is late', { groupId: group.groupId });
    await world.line.sendSticker(channelId, ben.userId, '446', '1988', { groupId: group.groupId });
    await world.line.redeliver(channelId, hello.events[0].webhookEventId);
    await world.idle();

    const { rows } = await groupHistoryPage(world.ctx, key, { limit: 10 });
    expect(rows.map((m) => [m.direction, m.line_user_id, m.type, m.text])).toEqual([
      ['inbound', aiko.userId, 'text', 'Order #12 is late'],
      ['inbound', ben.userId, 'sticker', '[Sticker]'],
    ]);
    expect(await findGroup(world.ctx, key)).toMatchObject({ kind: 'group', leftAt: null });
    expect(await world.ctx.db('messages').where({ line_user_id: aiko.userId }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(world.portal.contacts().filter((c) => c.properties.line_user_id === aiko.userId)).toEqual([]);
    // The sticker's token is the newest; the chat panel takes it once.
    expect(await takeGroupReplyToken(world.ctx, key, 0)).toEqual(expect.any(String));
    expect(await takeGroupReplyToken(world.ctx, key, 0)).toBeUndefined();

    await world.line.unsend(channelId, aiko.userId, String((hello.events[0].message as { id: string }).id), { groupId: group.groupId });
    await world.idle();
    const after = await groupHistoryPage(world.ctx, key, { limit: 10 });
    expect(after.rows[0]).toMatchObject({ status: 'unsent', text: null });
    expect(after.rows[0].payload).not.toContain('Order');

    const typo = await world.line.sendText(channelId, ben.userId, 'Shipmnet tomorrow', { groupId: group.groupId });
    const typoId = String((typo.events[0].message as { id: string }).id);
    await world.line.editMessage(channelId, aiko.userId, typoId, 'Not my message', { groupId: group.groupId }); // only its sender edits it
    await world.line.editMessage(channelId, ben.userId, typoId, 'Shipment tomorrow', { groupId: group.groupId });
    await world.idle();
    const edited = await groupHistoryPage(world.ctx, key, { limit: 10 });
    expect(edited.rows.at(-1)).toMatchObject({ line_user_id: ben.userId, text: 'Shipment tomorrow' });
  });
});
