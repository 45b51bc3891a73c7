// GET /api/contacts/:contactId/line and POST .../line/:accountId/link over HTTP, signed like hubspot.fetch.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { startChatWorld, type ChatWorld } from '../support/chat-world.ts';
import { provisionPortalProperties } from '../../backend/src/accounts/provision-properties-job.ts';
import { updateConversation } from '../../backend/src/conversation/conversation-state.ts';

describe.each(engines())('contact LINE status (%s)', (engine) => {
  let db: TestDatabase;
  let world: ChatWorld;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await startChatWorld({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await world?.close();
    await db?.drop();
  });

  it('shows how to link a contact that has no LINE user: the URL to share and its QR code as PNG and SVG', async () => {
    const res = await world.api('/api/contacts/5551/line');
    expect(res.status).toBe(200);
    expect(res.body.accounts).toHaveLength(1);
    const [entry] = res.body.accounts;
    expect(entry.account).toMatchObject({ id: world.account.id, name: world.account.channel.displayName });
    expect(entry.link).toBeNull();
    const base = `${world.backend.config.PUBLIC_BASE_URL}/line/login/${world.account.loginKey}`;
    expect(entry.linking).toEqual({ sharedUrl: base, qrCodeUrl: `${base}/qr.png`, qrCodeSvgUrl: `${base}/qr.svg` });
    expect(entry.unanswered).toBeNull();
  });

  it('shows the linked user: name, picture, follow status, unanswered message and last message time', async () => {
    const user = await world.linkUser({ displayName: 'Hanako' });
    await world.insertMessage(user, { direction: 'inbound', text: 'old question', createdAt: 1_000 });
    await world.insertMessage(user, { direction: 'outbound', text: 'answer', createdAt: 2_000 });
    await world.insertMessage(user, { direction: 'inbound', text: 'are you there?', createdAt: 3_000 });
    await world.insertMessage(user, { direction: 'inbound', type: 'sticker', payload: { type: 'sticker', packageId: '1', stickerId: '2' }, text: null, createdAt: 4_000 });
    const res = await world.api(`/api/contacts/${user.contactId}/line`);
    expect(res.status).toBe(200);
    const [entry] = res.body.accounts;
    expect(entry.link).toMatchObject({ lineUserId: user.lineUserId, displayName: 'Hanako', followStatus: 'following' });
    expect(entry.unanswered).toEqual({ since: 3_000, text: '[Sticker]' });
    expect(entry.lastMessageAt).toBe(4_000);
  });

  it('prefers the conversation state the inbound feature keeps', async () => {
    const user = await world.linkUser();
    await world.insertMessage(user, { direction: 'inbound', text: 'hello', createdAt: 10_000 });
    await updateConversation(world.backend.ctx, world.portalId, user.linkId, {
      unanswered: true,
      unanswered_since: 9_000,
      unanswered_message: 'hello (from state)',
      last_inbound_at: 10_000,
    });
    const res = await world.api(`/api/contacts/${user.contactId}/line`);
    expect(res.body.accounts[0].unanswered).toEqual({ since: 9_000, text: 'hello (from state)' });
  });

  it('shows an answer at once, before the job that clears the conversation state has run', async () => {
    const user = await world.linkUser();
    const asked = Date.now() - 60_000;
    await world.insertMessage(user, { direction: 'inbound', text: 'hello?', createdAt: asked });
    await updateConversation(world.backend.ctx, world.portalId, user.linkId, { unanswered: true, unanswered_since: asked, unanswered_message: 'hello?', last_inbound_at: asked });
    expect((await world.api(`/api/contacts/${user.contactId}/line`)).body.accounts[0].unanswered).toEqual({ since: asked, text: 'hello?' });
    await world.insertMessage(user, { direction: 'outbound', status: 'sent', text: 'hi!' });
    expect((await world.api(`/api/contacts/${user.contactId}/line`)).body.accounts[0].unanswered).toBeNull();
  });

  it('shows a blocked user plainly', async () => {
    const user = await world.linkUser({ followStatus: 'blocked' });
    const res = await world.api(`/api/contacts/${user.contactId}/line`);
    expect(res.body.accounts[0].link.followStatus).toBe('blocked');
  });

  it('lists the chat replies LINE did not take, oldest first, until a retry delivers them', async () => {
    const user = await world.linkUser();
    const channelId = world.account.channel.channelId;
    const send = (text: string) => world.api(`/api/contacts/${user.contactId}/messages`, { body: { accountId: world.account.id, clientMessageId: randomUUID(), text } });
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 2 });
    const first = await send('first try');
    const second = await send('second try');
    expect([first.body.message.status, second.body.message.status]).toEqual(['failed', 'failed']);
    // A workflow's failed send is the workflow's to report: the card offers no retry for it.
    await world.insertMessage(user, { direction: 'outbound', status: 'failed', sentBy: 'workflow:77', text: 'from a workflow' });
    const status = async () => (await world.api(`/api/contacts/${user.contactId}/line`)).body.accounts[0].undelivered;
    expect(await status()).toEqual({ messageIds: [first.body.message.id, second.body.message.id], lastFailedAt: expect.any(Number) });

    const retried = await world.api(`/api/contacts/${user.contactId}/messages/${first.body.message.id}/retry`, { body: { accountId: world.account.id } });
    expect(retried.body.message.status).toBe('sent');
    expect((await status()).messageIds).toEqual([second.body.message.id]);
    await world.api(`/api/contacts/${user.contactId}/messages/${second.body.message.id}/retry`, { body: { accountId: world.account.id } });
    expect(await status()).toBeNull();
    expect(world.line.received(channelId, user.lineUserId).flatMap((d) => d.messages)).toEqual([
      { type: 'text', text: 'first try' },
      { type: 'text', text: 'second try' },
    ]);
  });

  it('tells the card when to ask again: rarely when linked, sooner while watching for a link, less often the more cards the portal has open', async () => {
    const portalId = await world.installPortal();
    const account = await world.connectAccount(portalId);
    const { cardRefreshMs, cardLinkWatchMs, cardRefreshesPerPortalPerSecond } = world.backend.config.timings.chat;
    expect(cardLinkWatchMs).toBeLessThan(cardRefreshMs);
    const ask = async (contactId: number) => (await world.api(`/api/contacts/${contactId}/line`, { portalId })).body.nextPollMs;
    const linked = await world.linkUser({ account });
    expect(await ask(linked.contactId)).toBe(cardRefreshMs);
    expect(await ask(880_001)).toBeLessThan(cardRefreshMs);
    // The same card asking again is still one card.
    expect(await ask(linked.contactId)).toBe(cardRefreshMs);
    // Cards opened together: the portal's cards share its budget, so each now waits longer.
    const cards = Math.ceil((cardRefreshMs * cardRefreshesPerPortalPerSecond) / 1_000) * 2;
    const answers = await Promise.all(Array.from({ length: cards }, (_, i) => ask(890_000 + i)));
    expect(Math.max(...answers)).toBeGreaterThan(cardRefreshMs);
    // Another portal's cards are paced on their own.
    const quiet = await world.installPortal();
    await world.connectAccount(quiet);
    expect((await world.api(`/api/contacts/${linked.contactId}/line`, { portalId: quiet })).body.nextPollMs).toBeLessThan(Math.max(...answers));
  });

  it('rejects unsigned requests and portals that did not install the app', async () => {
    const unsigned = await fetch(`${world.backend.url}/api/contacts/1/line?portalId=${world.portalId}`);
    expect(unsigned.status).toBe(401);
    const other = world.hubspot.createPortal();
    const res = await world.api('/api/contacts/1/line', { portalId: other.portalId });
    expect(res.status).toBe(403);
  });

  it('links a contact to a LINE user ID typed by the agent, reading the profile from LINE', async () => {
    const user = world.line.createUser({ displayName: 'Taro' });
    world.line.events.follow(world.account.channel.channelId, user.userId);
    const res = await world.api(`/api/contacts/7001/line/${world.account.id}/link`, { body: { lineUserId: user.userId } });
    expect(res.status).toBe(201);
    expect(res.body.link).toMatchObject({ lineUserId: user.userId, displayName: 'Taro', followStatus: 'following' });
    const row = await world.backend.ctx.db('line_links').where({ line_user_id: user.userId }).first();
    expect(row).toMatchObject({ contact_id: 7001, linked_via: 'manual', portal_id: world.portalId });
    // The same link again is a no-op.
    const again = await world.api(`/api/contacts/7001/line/${world.account.id}/link`, { body: { lineUserId: user.userId } });
    expect(again.status).toBe(200);
  });

  it('writes the LINE properties onto the contact once it is linked by hand, so HubSpot lists see the link', async () => {
    await provisionPortalProperties(world.backend.ctx, world.portalId);
    const portal = world.hubspot.portal(world.portalId);
    const contact = portal.createObject('contacts', { firstname: 'Hanako' });
    const user = world.line.createUser({ displayName: 'Hanako LINE' });
    world.line.events.follow(world.account.channel.channelId, user.userId);
    const res = await world.api(`/api/contacts/${contact.id}/line/${world.account.id}/link`, { body: { lineUserId: user.userId } });
    expect(res.status).toBe(201);
    const properties = async () => portal.contacts().find((c) => c.id === contact.id)?.properties ?? {};
    for (let i = 0; i < 200 && (await properties()).line_user_id !== user.userId; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await properties()).toMatchObject({ line_user_id: user.userId, line_display_name: 'Hanako LINE', line_follow_status: 'following', firstname: 'Hanako' });
    expect((await properties()).line_linked_at).toBeTruthy();
  });

  it('refuses malformed IDs, users linked to another contact and accounts of other portals, changing nothing', async () => {
    const count = async () => Number((await world.backend.ctx.db('line_links').count({ n: '*' }).first())?.n);
    const before = await count();
    const malformed = await world.api(`/api/contacts/7002/line/${world.account.id}/link`, { body: { lineUserId: 'U123' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/lineUserId/);
    const taken = await world.linkUser({ contactId: 7003 });
    const conflict = await world.api(`/api/contacts/7002/line/${world.account.id}/link`, { body: { lineUserId: taken.lineUserId } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('line_user_linked_elsewhere');
    const otherPortal = await world.installPortal();
    const otherAccount = await world.connectAccount(otherPortal);
    const foreign = await world.api(`/api/contacts/7002/line/${otherAccount.id}/link`, { body: { lineUserId: `U${'a'.repeat(32)}` } });
    expect(foreign.status).toBe(404);
    expect(await count()).toBe(before + 1); // only the seeded link
    const unknownUser = await world.api(`/api/contacts/7004/line/${world.account.id}/link`, { body: { lineUserId: `U${'b'.repeat(32)}` } });
    expect(unknownUser.status).toBe(201);
    expect(unknownUser.body.link.followStatus).toBe('unknown');
  });

  it('never logs secrets', () => {
    const text = world.backend.logText();
    expect(text).not.toContain(world.account.channel.accessToken);
    expect(text).not.toContain(world.account.channel.channelSecret);
    expect(text).not.toContain(world.hubspot.clientSecret);
  });
});
