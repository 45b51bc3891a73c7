// Contacts for LINE users without duplicates (link, then search on line_user_id, then create) and the
// LINE properties kept current by follow, unfollow and message events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateLink } from '../../backend/src/contacts/links.ts';
import { startInboundWorld, waitUntil, type InboundWorld } from '../support/inbound-world.ts';

describe('contacts for LINE users', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await startInboundWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const contactsOf = (lineUserId: string, property = 'line_user_id') => world.portal.contacts().filter((c) => c.properties[property] === lineUserId);
  const link = (lineUserId: string, accountId = world.account.id) => world.ctx.db('line_links').where({ line_account_id: accountId, line_user_id: lineUserId }).first();

  it('a new friend becomes a contact with the LINE profile and properties', async () => {
    const user = world.line.createUser({ displayName: 'Emma Clark', pictureUrl: 'https://profile.line-scdn.net/0hEmma' });
    const { events } = await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    const [contact] = contactsOf(user.userId);
    expect(contactsOf(user.userId)).toHaveLength(1);
    expect(contact.properties).toMatchObject({
      firstname: 'Emma',
      lastname: 'Clark',
      line_display_name: 'Emma Clark',
      line_picture_url: 'https://profile.line-scdn.net/0hEmma',
      line_follow_status: 'following',
      line_friend_added_at: new Date(events[0].timestamp).toISOString(),
    });
    expect(contact.properties.email ?? '').toBe('');
    expect(contact.properties.line_linked_at).toBeTruthy();
    expect(await link(user.userId)).toMatchObject({ contact_id: Number(contact.id), linked_via: 'auto_created', follow_status: 'following' });
  });

  it('keeps a display name that is not a plain "First Last" whole in firstname', async () => {
    const user = world.line.createUser({ displayName: '山田 太郎' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    const [contact] = contactsOf(user.userId);
    expect(contact.properties.firstname).toBe('山田 太郎');
    expect(contact.properties.lastname ?? '').toBe('');
  });

  it('links a contact that already carries the LINE user ID (CSV import) instead of creating one', async () => {
    const user = world.line.createUser({ displayName: 'Imported' });
    const existing = world.portal.createObject('contacts', { email: 'imported@example.com', firstname: 'Kenji', line_user_id: user.userId });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    expect(contactsOf(user.userId).map((c) => c.id)).toEqual([existing.id]);
    expect(await link(user.userId)).toMatchObject({ contact_id: Number(existing.id), linked_via: 'property_match' });
    // The name the sales team entered is not overwritten by the LINE nickname.
    expect(world.portal.contacts().find((c) => c.id === existing.id)!.properties).toMatchObject({ firstname: 'Kenji', line_display_name: 'Imported', line_follow_status: 'following' });
  });

  // HubSpot's search guide says IN takes lowercase values for string properties, and LINE user IDs begin
  // with "U": the search must find the imported contact whether HubSpot folds case as documented or not.
  it.each(['lowercase-values', 'exact'] as const)('finds a contact imported with the LINE user ID when IN matches %s', async (matching) => {
    world.hubspot.state.config.searchInMatching = matching;
    try {
      const user = world.line.createUser({ displayName: `Imported ${matching}` });
      const existing = world.portal.createObject('contacts', { firstname: 'Kenji', line_user_id: user.userId });
      await world.line.follow(world.account.channel.channelId, user.userId);
      await world.idle();
      expect(contactsOf(user.userId).map((c) => c.id)).toEqual([existing.id]);
      expect(await link(user.userId)).toMatchObject({ contact_id: Number(existing.id), linked_via: 'property_match' });
    } finally {
      world.hubspot.state.config.searchInMatching = 'lowercase-values';
    }
  });

  it('links the created contact when HubSpot answers the create without the LINE user ID, by reading it back', async () => {
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', omitProperties: ['line_user_id'], times: 1 });
    const user = world.line.createUser({ displayName: 'Quiet Answer' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    const [contact] = contactsOf(user.userId);
    expect(contactsOf(user.userId)).toHaveLength(1);
    expect(await link(user.userId)).toMatchObject({ contact_id: Number(contact.id), linked_via: 'auto_created' });
  });

  it('fails the job loudly when a created contact cannot be matched to its LINE user, then links it once search finds it', async () => {
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', omitProperties: ['line_user_id'], times: 1 });
    world.hubspot.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/read', omitProperties: ['line_user_id'], times: 1 });
    const user = world.line.createUser({ displayName: 'Lost Match' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    const failures = world.backend.logs.filter((l) => l.msg === 'job failed; will retry' && /could not be matched/.test(JSON.stringify(l)));
    expect(failures).toHaveLength(1);
    const [contact] = contactsOf(user.userId);
    expect(contactsOf(user.userId)).toHaveLength(1);
    expect(await link(user.userId)).toMatchObject({ contact_id: Number(contact.id), linked_via: 'property_match' });
  });

  it('ten first messages of a new user arriving at once make one contact', async () => {
    const user = world.line.createUser({ displayName: 'Burst' });
    world.line.events.follow(world.account.channel.channelId, user.userId); // became a friend without the webhook arriving
    const sends = Array.from({ length: 10 }, (_, i) => world.line.sendText(world.account.channel.channelId, user.userId, `message ${i}`));
    expect((await Promise.all(sends)).map((r) => r.status)).toEqual(Array(10).fill(200));
    await world.idle();
    expect(contactsOf(user.userId)).toHaveLength(1);
    const messages = await world.ctx.db('messages').where({ line_user_id: user.userId }).select('text');
    expect(messages).toHaveLength(10);
  });

  it('a block sets the follow status to blocked, and an unblock back to following', async () => {
    const user = world.line.createUser({ displayName: 'Blocker' });
    const first = await world.line.follow(world.account.channel.channelId, user.userId);
    await world.line.unfollow(world.account.channel.channelId, user.userId);
    await world.idle();
    expect(contactsOf(user.userId)[0].properties.line_follow_status).toBe('blocked');
    await world.line.follow(world.account.channel.channelId, user.userId, { isUnblocked: true });
    await world.idle();
    const props = contactsOf(user.userId)[0].properties;
    expect(props.line_follow_status).toBe('following');
    // The friend-added date is the first one, not the unblock.
    expect(props.line_friend_added_at).toBe(new Date(first.events[0].timestamp).toISOString());
  });

  it('does not create contacts for an account that does not auto-create, but still logs the message', async () => {
    const manual = await world.connectAccount({ autoCreateContacts: false });
    const user = world.line.createUser({ displayName: 'Nobody' });
    await world.line.follow(manual.channel.channelId, user.userId);
    await world.line.sendText(manual.channel.channelId, user.userId, 'hi');
    await world.idle();
    expect(contactsOf(user.userId, `line_user_id_${manual.sequence}`)).toHaveLength(0);
    expect((await link(user.userId, manual.id)).contact_id).toBeNull();
    expect(await world.ctx.db('messages').where({ line_account_id: manual.id, line_user_id: user.userId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('writes a second account\'s properties with the _N suffix', async () => {
    const second = await world.connectAccount();
    const user = world.line.createUser({ displayName: 'Two Accounts' });
    await world.line.follow(second.channel.channelId, user.userId);
    await world.idle();
    const [contact] = contactsOf(user.userId, `line_user_id_${second.sequence}`);
    expect(contact.properties).toMatchObject({ [`line_display_name_${second.sequence}`]: 'Two Accounts', [`line_follow_status_${second.sequence}`]: 'following' });
    expect(contact.properties.line_user_id ?? '').toBe('');
  });

  it('refreshes a profile at most once a day', async () => {
    const user = world.line.createUser({ displayName: 'Before' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.idle();
    user.displayName = 'After'; // the user renames themselves in LINE
    const simulated = world.line.requests.filter((r) => r.path === `/v2/bot/profile/${user.userId}`).length;
    await world.line.sendText(world.account.channel.channelId, user.userId, 'again');
    await world.idle();
    expect(world.line.requests.filter((r) => r.path === `/v2/bot/profile/${user.userId}`).length).toBe(simulated);
    expect(contactsOf(user.userId)[0].properties.line_display_name).toBe('Before');
    const stored = await link(user.userId);
    await updateLink(world.ctx, { id: Number(stored.id), portalId: Number(stored.portal_id) }, { profile_refreshed_at: Date.now() - 25 * 3600_000 });
    await world.line.sendText(world.account.channel.channelId, user.userId, 'a day later');
    await world.idle();
    expect(world.line.requests.filter((r) => r.path === `/v2/bot/profile/${user.userId}`).length).toBe(simulated + 1);
    expect(contactsOf(user.userId)[0].properties.line_display_name).toBe('After');
  });

  it('skips unknown event types and standby events without failing and never answers them', async () => {
    const user = world.line.createUser({ displayName: 'Future' });
    const channelId = world.account.channel.channelId;
    world.line.events.follow(channelId, user.userId);
    const unknown = world.line.events.custom(channelId, user.userId, 'brandNewEvent', { brandNewEvent: { foo: 'bar' } });
    const standby = world.line.events.text(channelId, user.userId, 'seen by another module', { mode: 'standby' });
    expect((await world.line.deliver(channelId, [unknown, standby])).status).toBe(200);
    await world.idle();
    const rows = await world.ctx.db('inbound_events').whereIn('webhook_event_id', [unknown.webhookEventId, standby.webhookEventId]).select('type', 'outcome', 'mode');
    expect(rows.find((r) => r.type === 'brandNewEvent')).toMatchObject({ outcome: 'skipped' });
    expect(rows.find((r) => r.type === 'message')).toMatchObject({ outcome: 'handled', mode: 'standby' });
    expect(await world.ctx.db('jobs').where({ state: 'dead' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(world.line.received(channelId, user.userId)).toEqual([]);
    expect(world.line.requests.some((r) => r.path === '/v2/bot/message/reply')).toBe(false);
  });

  it('records group membership from join, member and leave events', async () => {
    const channelId = world.account.channel.channelId;
    const [a, b] = [world.line.createUser(), world.line.createUser()];
    const joined = await world.line.joinGroup(channelId, undefined, [a.userId]);
    const groupId = String((joined.events[0].source as { groupId: string }).groupId);
    await world.line.memberJoined(channelId, groupId, [a.userId, b.userId]);
    await world.line.memberLeft(channelId, groupId, [b.userId]);
    await world.idle();
    const members = await world.ctx.db('line_group_members').where({ group_id: groupId }).orderBy('line_user_id').select('line_user_id', 'left_at');
    expect(members.find((m) => m.line_user_id === a.userId)!.left_at).toBeNull();
    expect(members.find((m) => m.line_user_id === b.userId)!.left_at).not.toBeNull();
    await world.line.leaveGroup(channelId, groupId);
    await waitUntil(async () => (await world.ctx.db('line_groups').where({ group_id: groupId }).first())?.left_at !== null, 'the bot left the group');
    expect(await world.ctx.db('line_groups').where({ group_id: groupId }).first()).toMatchObject({ kind: 'group', line_account_id: world.account.id });
  });
});
