// History pages, the long-poll for updates, read marks and the typing indicator, over HTTP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertInboundMessage, markSent } from '../../backend/src/conversation/messages.ts';
import { POLL_SOON_MS } from '../../backend/src/chat/held-polls.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { startChatWorld, type ChatWorld, type LinkedUser } from '../support/chat-world.ts';

describe.each(engines())('conversation history and updates (%s)', (engine) => {
  let db: TestDatabase;
  let world: ChatWorld;
  let accountId: number;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await startChatWorld({ databaseUrl: db.url });
    accountId = world.account.id;
  });
  afterAll(async () => {
    await world?.close();
    await db?.drop();
  });

  it('pages back through history, newest page first, oldest message first within a page', async () => {
    const user = await world.linkUser();
    const other = await world.linkUser();
    await world.insertMessage(other, { direction: 'inbound', text: 'not in this conversation' });
    for (let i = 1; i <= 5; i++) await world.insertMessage(user, { direction: i % 2 ? 'inbound' : 'outbound', text: `m${i}`, createdAt: i });
    const path = `/api/contacts/${user.contactId}/messages?accountId=${accountId}&limit=2`;
    const first = await world.api(path);
    expect(first.status).toBe(200);
    expect(first.body.messages.map((m: any) => m.content.text)).toEqual(['m4', 'm5']);
    expect(first.body.hasMore).toBe(true);
    expect(first.body.cursor.after).toBe(first.body.messages[1].id);
    const second = await world.api(`${path}&before=${first.body.cursor.before}`);
    expect(second.body.messages.map((m: any) => m.content.text)).toEqual(['m2', 'm3']);
    const third = await world.api(`${path}&before=${second.body.cursor.before}`);
    expect(third.body.messages.map((m: any) => m.content.text)).toEqual(['m1']);
    expect(third.body.hasMore).toBe(false);
    const bad = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${accountId}&limit=500`);
    expect(bad.status).toBe(400);
  });

  it('shows every kind of message the panel has a bubble for', async () => {
    const user = await world.linkUser();
    const seeds = [
      { type: 'image', payload: { type: 'image', id: '1', contentProvider: { type: 'external', originalContentUrl: 'https://example.com/full.jpg', previewImageUrl: 'https://example.com/preview.jpg' } } },
      { type: 'file', payload: { type: 'file', id: '2', fileName: 'quote.pdf', fileSize: 2048 } },
      { type: 'location', payload: { type: 'location', title: 'Office', address: 'Tokyo', latitude: 35.68, longitude: 139.76 } },
      { type: 'template', text: 'Please choose a plan', payload: { type: 'template', altText: 'Please choose a plan', template: {} } },
      { type: 'text', text: 'gone', status: 'unsent' as const },
    ];
    for (const s of seeds) await world.insertMessage(user, { direction: 'inbound', ...s });
    const res = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${accountId}`);
    const [image, file, location, template, unsent] = res.body.messages;
    expect(image.content).toEqual({ kind: 'image', previewUrl: 'https://example.com/preview.jpg', url: 'https://example.com/full.jpg' });
    expect(file.content).toMatchObject({ kind: 'file', fileType: 'file', name: 'quote.pdf', size: 2048 });
    expect(location.content).toMatchObject({ kind: 'location', title: 'Office', address: 'Tokyo' });
    expect(location.content.mapUrl).toContain('35.68%2C139.76');
    expect(template.content).toEqual({ kind: 'alt', messageType: 'template', text: 'Please choose a plan' });
    expect(unsent.status).toBe('unsent');
  });

  it('long-polls: answers as soon as a new message arrives, and empty when the wait passes', async () => {
    const user = await world.linkUser();
    const history = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${accountId}`);
    const { after, since } = history.body.cursor;
    const empty = await world.api(`/api/contacts/${user.contactId}/messages/updates?accountId=${accountId}&after=${after}&since=${since}&waitMs=0`);
    expect(empty.status).toBe(200);
    expect(empty.body.messages).toEqual([]);
    const waiting = world.api(`/api/contacts/${user.contactId}/messages/updates?accountId=${accountId}&after=${after}&since=${since}&waitMs=10000`);
    await new Promise((r) => setTimeout(r, 300));
    const id = await world.insertMessage(user, { direction: 'inbound', text: 'new while open' });
    const answer = await waiting;
    expect(answer.body.messages.map((m: any) => m.id)).toEqual([id]);
    expect(answer.body.cursor.after).toBe(id);
    const tooLong = await world.api(`/api/contacts/${user.contactId}/messages/updates?accountId=${accountId}&waitMs=20000`);
    expect(tooLong.status).toBe(400);
  });

  it('long-polls: reports status changes of messages already shown', async () => {
    const user = await world.linkUser();
    const id = await world.insertMessage(user, { direction: 'outbound', text: 'pending', status: 'sending' });
    const history = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${accountId}`);
    const { after, since } = history.body.cursor;
    const waiting = world.api(`/api/contacts/${user.contactId}/messages/updates?accountId=${accountId}&after=${after}&since=${since}&waitMs=10000`);
    await new Promise((r) => setTimeout(r, 300));
    await markSent(world.backend.ctx, world.portalId, id, { lineMessageId: null, quoteToken: null, at: Date.now() });
    const answer = await waiting;
    expect(answer.body.messages).toEqual([expect.objectContaining({ id, status: 'sent' })]);
  });

  it('long-polls: answers at once with the new friendship when the user blocks the account while the panel waits', async () => {
    const user = await world.linkUser();
    const history = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${accountId}`);
    const { after, since } = history.body.cursor;
    const updates = `/api/contacts/${user.contactId}/messages/updates?accountId=${accountId}&after=${after}&since=${since}`;
    const quiet = await world.api(`${updates}&waitMs=0&followStatus=following`);
    expect(quiet.body).toMatchObject({ messages: [], followStatus: 'following' });
    const asked = Date.now();
    const waiting = world.api(`${updates}&waitMs=10000&followStatus=following`);
    await new Promise((r) => setTimeout(r, 300));
    await world.line.unfollow(world.account.channel.channelId, user.lineUserId);
    const answer = await waiting;
    expect(answer.body).toMatchObject({ messages: [], followStatus: 'blocked' });
    // Answered by the block, not by the end of the wait.
    expect(answer.body.cursor.since).toBeLessThan(asked + 10_000);
    const shownBlocked = await world.api(`${updates}&waitMs=0&followStatus=blocked`);
    expect(shownBlocked.body.followStatus).toBe('blocked');
    const invalid = await world.api(`${updates}&waitMs=0&followStatus=unfriended`);
    expect(invalid.status).toBe(400);
  });

  /** A portal of its own, so no other test's changes wake its panels. */
  async function quietPortal(users: number) {
    const portalId = await world.installPortal();
    const account = await world.connectAccount(portalId);
    const linked = [];
    for (let i = 0; i < users; i++) linked.push(await world.linkUser({ account }));
    const updates = (user: LinkedUser, o: { after?: number; since?: number } = {}) =>
      world.api(`/api/contacts/${user.contactId}/messages/updates?accountId=${account.id}&after=${o.after ?? 0}&since=${o.since ?? Date.now()}&waitMs=10000`, { portalId });
    const receive = (user: LinkedUser, text: string) =>
      insertInboundMessage(world.backend.ctx, {
        portalId, accountId: account.id, lineUserId: user.lineUserId, type: 'text', text, payload: JSON.stringify({ type: 'text', text }),
        lineMessageId: randomUUID(), quoteToken: null, markAsReadToken: null, webhookEventId: null, createdAt: Date.now(),
      });
    return { portalId, account, users: linked, updates, receive };
  }

  it('holds at most a few update requests per portal; the others are answered at once and their panels poll', async () => {
    const quiet = await quietPortal(6);
    const other = await quietPortal(1);
    const answered: number[] = [];
    const requests = quiet.users.map((user, i) => quiet.updates(user).then((res) => (answered.push(i), res)));
    const elsewhere = other.updates(other.users[0]);
    await vi.waitFor(() => expect(answered).toHaveLength(2), { timeout: 5_000 });
    const polled = await Promise.all(answered.map((i) => requests[i]));
    expect(polled.map((r) => [r.status, r.body.messages])).toEqual([[200, []], [200, []]]);
    for (const { body } of polled) expect(body.nextPollMs).toBeGreaterThanOrEqual(0.75 * POLL_SOON_MS);
    for (const { body } of polled) expect(body.nextPollMs).toBeLessThanOrEqual(1.25 * POLL_SOON_MS);
    const heldIndexes = quiet.users.map((_, i) => i).filter((i) => !answered.includes(i));
    const heldUsers = heldIndexes.map((i) => quiet.users[i]);
    for (const user of heldUsers) await quiet.receive(user, `for ${user.lineUserId}`);
    await other.receive(other.users[0], 'another portal');
    const held = await Promise.all(heldIndexes.map((i) => requests[i]));
    expect(held.map((r) => [r.body.messages.map((m: any) => m.content.text), r.body.nextPollMs])).toEqual(heldUsers.map((u) => [[`for ${u.lineUserId}`], 0]));
    expect((await elsewhere).body).toMatchObject({ messages: [expect.objectContaining({ content: { kind: 'text', text: 'another portal' } })], nextPollMs: 0 });
  });

  it('wakes a held request when this process stores a message, without polling the database meanwhile', async () => {
    const quiet = await quietPortal(1);
    const [user] = quiet.users;
    const reads: string[] = [];
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (/from [`"]messages[`"]/i.test(q.sql) && (q.bindings ?? []).includes(user.lineUserId)) reads.push(q.sql);
    };
    world.backend.ctx.db.on('query', onQuery);
    try {
      const waiting = quiet.updates(user);
      await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(1), { timeout: 5_000 });
      // The portal's links were written a moment ago, and the poll for other processes' changes looks back
      // 2 s (their commits may lag): it may wake the request once for them, then never again. That wake can
      // come before the check above runs, so the first look may already be followed by a second.
      await new Promise((r) => setTimeout(r, 600));
      const settled = reads.length;
      expect(settled).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 600)); // a polling wait would have read the conversation again by now
      expect(reads).toHaveLength(settled);
      const { id } = await quiet.receive(user, 'wake up');
      const answer = await waiting;
      expect(answer.body.messages.map((m: any) => m.id)).toEqual([id]);
      expect(reads).toHaveLength(settled + 1);
    } finally {
      world.backend.ctx.db.off('query', onQuery);
    }
  });

  it('marks the conversation read on LINE with the newest token and records it', async () => {
    const user = await world.linkUser();
    const channelId = world.account.channel.channelId;
    const older = world.line.events.text(channelId, user.lineUserId, 'one');
    const newer = world.line.events.text(channelId, user.lineUserId, 'two');
    const tokenOf = (e: any) => String(e.message.markAsReadToken);
    await world.insertMessage(user, { direction: 'inbound', text: 'one', markAsReadToken: tokenOf(older) });
    await world.insertMessage(user, { direction: 'inbound', text: 'two', markAsReadToken: tokenOf(newer) });
    const res = await world.api(`/api/contacts/${user.contactId}/messages/read`, { body: { accountId } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ marked: 2, error: null });
    expect(world.line.readMarks(channelId).filter((m) => m.userId === user.lineUserId)).toHaveLength(1);
    const calls = world.line.requests.filter((r) => r.path === '/v2/bot/chat/markAsRead');
    expect(calls.at(-1)?.body).toEqual({ markAsReadToken: tokenOf(newer) });
    const rows = await world.backend.ctx.db('messages').where({ line_user_id: user.lineUserId });
    expect(rows.every((r: any) => r.read_at !== null)).toBe(true);
    const again = await world.api(`/api/contacts/${user.contactId}/messages/read`, { body: { accountId } });
    expect(again.body).toEqual({ marked: 0, error: null });
  });

  it('keeps messages unread when LINE refuses the read mark, without an error status', async () => {
    const user = await world.linkUser();
    const event = world.line.events.text(world.account.channel.channelId, user.lineUserId, 'x');
    await world.insertMessage(user, { direction: 'inbound', text: 'x', markAsReadToken: String((event as any).message.markAsReadToken) });
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/chat/markAsRead', status: 500, times: 1 });
    const res = await world.api(`/api/contacts/${user.contactId}/messages/read`, { body: { accountId } });
    expect(res.status).toBe(200);
    expect(res.body.marked).toBe(0);
    expect(res.body.error).toMatch(/500/);
  });

  it('shows the typing indicator at most once per 5 s per user and hides LINE\'s 429', async () => {
    const user = await world.linkUser();
    const other = await world.linkUser();
    const channelId = world.account.channel.channelId;
    const typing = (contactId: number) => world.api(`/api/contacts/${contactId}/typing`, { body: { accountId } });
    expect((await typing(user.contactId)).body).toEqual({ shown: true });
    expect((await typing(user.contactId)).body).toEqual({ shown: false });
    expect(world.line.loadingShown(channelId).filter((l) => l.chatId === user.lineUserId)).toHaveLength(1);
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/chat/loading/start', status: 429, times: 1 });
    const limited = await typing(other.contactId);
    expect(limited.status).toBe(200);
    expect(limited.body).toEqual({ shown: false });
  });
});
