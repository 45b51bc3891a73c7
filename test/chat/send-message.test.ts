// Sending from the chat panel over HTTP: stored first, reply token when fresh, push with a retry key
// otherwise, outcome stored, failures retried with the same key, blocked and unlinked contacts refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { startChatWorld, type ChatWorld, type LinkedUser } from '../support/chat-world.ts';
import { REPLY_TOKEN_LIFETIME_MS, storeReplyToken } from '../../backend/src/chat/reply-tokens.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(engines())('sending chat messages (%s)', (engine) => {
  let db: TestDatabase;
  let world: ChatWorld;
  let channelId: string;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    world = await startChatWorld({ databaseUrl: db.url });
    channelId = world.account.channel.channelId;
  });
  afterAll(async () => {
    await world?.close();
    await db?.drop();
  });

  /** Sends as the panel does: with a new client message id unless the body names one. */
  const send = (user: LinkedUser, body: object, o: { userId?: number; userEmail?: string; lostAnswers?: number } = {}) =>
    world.api(`/api/contacts/${user.contactId}/messages`, { body: { accountId: world.account.id, clientMessageId: randomUUID(), ...body }, ...o });
  const texts = (user: LinkedUser) => world.line.received(channelId, user.lineUserId).flatMap((d) => d.messages.map((m) => (m as { text?: string }).text));
  const pushes = () => world.line.requests.filter((r) => r.method === 'POST' && r.path === '/v2/bot/message/push');
  const outboundJobs = async (messageId: number) => world.backend.ctx.db('jobs').where({ type: 'conversation.outbound-sent', dedupe_key: `conversation.outbound-sent:${messageId}` });

  it('pushes a text with a retry key derived from the stored message, and records who sent it', async () => {
    const user = await world.linkUser();
    const res = await send(user, { text: '  Hello from HubSpot  ' }, { userId: 77, userEmail: 'agent@example.com' });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({
      direction: 'outbound',
      status: 'sent',
      content: { kind: 'text', text: 'Hello from HubSpot' },
      sender: { kind: 'user', name: 'agent@example.com' },
      canRetry: false,
    });
    expect(texts(user)).toEqual(['Hello from HubSpot']);
    const [delivery] = world.line.received(channelId, user.lineUserId);
    expect(delivery.via).toBe('push');
    const row = await world.backend.ctx.db('messages').where({ id: res.body.message.id }).first();
    expect(row).toMatchObject({ status: 'sent', sent_by: 'user:77', line_message_id: delivery.sentMessages[0].id });
    expect(row.retry_key).toMatch(UUID);
    expect(delivery.retryKey).toBe(row.retry_key);
    const jobs = await outboundJobs(row.id);
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0].payload)).toEqual({ messageId: row.id });
    expect(Number(jobs[0].portal_id)).toBe(world.portalId);
  });

  it('names the rep as HubSpot knows them (family name first in Japanese) and the customer by their LINE name', async () => {
    const user = await world.linkUser({ displayName: 'はなこ' });
    const portal = world.hubspot.portal(world.portalId);
    portal.addUser({ id: 4101, email: 'aiko@example.com', firstName: 'Aiko', lastName: 'Sato' });
    portal.addUser({ id: 4102, email: 'kenji@example.com', firstName: '健二', lastName: '山田' });
    await world.insertMessage(user, { direction: 'inbound', text: '在庫はありますか？' });
    const fromAiko = await send(user, { text: 'Yes!' }, { userId: 4101, userEmail: 'aiko@example.com' });
    expect(fromAiko.body.message.sender).toEqual({ kind: 'user', name: 'Aiko Sato' });
    await send(user, { text: 'ございます' }, { userId: 4102, userEmail: 'kenji@example.com' });
    await send(user, { text: 'from a stranger' }, { userId: 4199, userEmail: 'stranger@example.com' });
    const history = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${world.account.id}`, { method: 'GET' });
    expect(history.body.messages.map((m: { sender: unknown }) => m.sender)).toEqual([
      { kind: 'customer', name: 'はなこ' },
      { kind: 'user', name: 'Aiko Sato' },
      { kind: 'user', name: '山田 健二' },
      // HubSpot does not know them in this portal: the email the signed request carried is all there is.
      { kind: 'user', name: 'stranger@example.com' },
    ]);
  });

  it('sends a sticker', async () => {
    const user = await world.linkUser();
    const res = await send(user, { sticker: { packageId: '446', stickerId: '1988' } });
    expect(res.status).toBe(201);
    expect(res.body.message.content).toMatchObject({ kind: 'sticker', imageUrl: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png' });
    expect(world.line.received(channelId, user.lineUserId)[0].messages).toEqual([{ type: 'sticker', packageId: '446', stickerId: '1988' }]);
  });

  it('answers with the free reply API while the reply token is fresh, once', async () => {
    const user = await world.linkUser();
    const event = world.line.events.text(channelId, user.lineUserId, 'question');
    await storeReplyToken(world.backend.ctx, world.account.id, event);
    await send(user, { text: 'first answer' });
    await send(user, { text: 'second answer' });
    const deliveries = world.line.received(channelId, user.lineUserId);
    expect(deliveries.map((d) => d.via)).toEqual(['reply', 'push']);
    expect(await world.backend.ctx.db('line_reply_tokens').where({ line_user_id: user.lineUserId })).toHaveLength(0);
  });

  it('pushes when the stored reply token is refused or about to expire', async () => {
    const user = await world.linkUser();
    // A token LINE never issued: LINE refuses the reply.
    expect(await storeReplyToken(world.backend.ctx, world.account.id, { replyToken: 'a'.repeat(32), timestamp: Date.now(), source: { type: 'user', userId: user.lineUserId } })).toBe(true);
    const res = await send(user, { text: 'via push' });
    expect(res.body.message.status).toBe('sent');
    const nearlyExpired = await world.linkUser();
    const event = world.line.events.text(channelId, nearlyExpired.lineUserId, 'q');
    // The event reached us 54 s after it happened: its token has a second left.
    expect(await storeReplyToken(world.backend.ctx, world.account.id, { ...event, timestamp: Date.now() - REPLY_TOKEN_LIFETIME_MS + 1_000 })).toBe(true);
    await send(nearlyExpired, { text: 'also via push' });
    expect(world.line.received(channelId, user.lineUserId).map((d) => d.via)).toEqual(['push']);
    expect(world.line.received(channelId, nearlyExpired.lineUserId).map((d) => d.via)).toEqual(['push']);
  });

  it('pushes when LINE answers the reply with a server error (nothing was sent), so the message is delivered once', async () => {
    const user = await world.linkUser();
    const event = world.line.events.text(channelId, user.lineUserId, 'question');
    await storeReplyToken(world.backend.ctx, world.account.id, event);
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/reply', status: 500, times: 1 });
    const res = await send(user, { text: 'after a reply error' });
    expect(res.body.message.status).toBe('sent');
    expect(world.line.received(channelId, user.lineUserId).map((d) => [d.via, d.messages])).toEqual([['push', [{ type: 'text', text: 'after a reply error' }]]]);
  });

  it('refuses invalid input, blocked users and unlinked contacts, storing and sending nothing', async () => {
    const user = await world.linkUser();
    const blocked = await world.linkUser({ followStatus: 'blocked' });
    const count = async () => Number((await world.backend.ctx.db('messages').count({ n: '*' }).first())?.n);
    const pushCount = pushes().length;
    const before = await count();
    const invalid = [{ text: '   ' }, { text: 'x'.repeat(5001) }, { text: 42 }, {}, { sticker: { packageId: 'a', stickerId: '1' } }, { text: 'hi', extra: true }, { text: 'hi', clientMessageId: 'not-a-uuid' }, { text: 'hi', clientMessageId: undefined }];
    for (const body of invalid) {
      const res = await send(user, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const blockedRes = await send(blocked, { text: 'hello?' });
    expect(blockedRes.status).toBe(409);
    expect(blockedRes.body.error.code).toBe('line_user_blocked');
    const unlinked = await world.api('/api/contacts/999999/messages', { body: { accountId: world.account.id, text: 'hi', clientMessageId: randomUUID() } });
    expect(unlinked.status).toBe(409);
    expect(unlinked.body.error.code).toBe('contact_not_linked');
    const otherPortal = await world.installPortal();
    const foreign = await world.api(`/api/contacts/${user.contactId}/messages`, { portalId: otherPortal, body: { accountId: world.account.id, text: 'hi', clientMessageId: randomUUID() } });
    expect(foreign.status).toBe(404);
    expect(await count()).toBe(before);
    expect(pushes().length).toBe(pushCount);
    const longest = await send(user, { text: 'あ'.repeat(5000) });
    expect(longest.status).toBe(201);
  });

  it('sends once when HubSpot retries after the answer was lost: the repeated client message id answers the same message', async () => {
    const user = await world.linkUser();
    const clientMessageId = randomUUID();
    const res = await send(user, { text: 'exactly once', clientMessageId }, { lostAnswers: 1 });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ status: 'sent', content: { kind: 'text', text: 'exactly once' } });
    expect(texts(user)).toEqual(['exactly once']);
    const rows = await world.backend.ctx.db('messages').where({ line_user_id: user.lineUserId, direction: 'outbound' });
    expect(rows.map((r) => [Number(r.id), r.client_message_id])).toEqual([[res.body.message.id, clientMessageId]]);
    expect(await outboundJobs(res.body.message.id)).toHaveLength(1);
    // The panel's own retry of the same message (its answer never came) answers it again, still without a second send.
    const again = await send(user, { text: 'exactly once', clientMessageId });
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(res.body.message.id);
    expect(texts(user)).toEqual(['exactly once']);
  });

  it('refuses a repeated client message id with another body, or in another conversation, changing nothing', async () => {
    const user = await world.linkUser();
    const other = await world.linkUser();
    const clientMessageId = randomUUID();
    expect((await send(user, { text: 'original', clientMessageId })).status).toBe(201);
    for (const [target, body] of [[user, { text: 'edited' }], [user, { sticker: { packageId: '446', stickerId: '1988' } }], [other, { text: 'original' }]] as const) {
      const res = await send(target, { ...body, clientMessageId });
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('client_message_id_reused');
    }
    expect(texts(user)).toEqual(['original']);
    expect(texts(other)).toEqual([]);
    expect(Number((await world.backend.ctx.db('messages').where({ client_message_id: clientMessageId }).count({ n: '*' }).first())?.n)).toBe(1);
  });

  it('stores a failure with LINE\'s reason, then a retry sends it once with the same retry key', async () => {
    const user = await world.linkUser();
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 1 });
    const failed = await send(user, { text: 'retry me' });
    expect(failed.status).toBe(201);
    expect(failed.body.message).toMatchObject({ status: 'failed', canRetry: true });
    expect(failed.body.message.error).toMatch(/500/);
    expect(world.line.received(channelId, user.lineUserId)).toHaveLength(0);
    const id = failed.body.message.id;
    const retried = await world.api(`/api/contacts/${user.contactId}/messages/${id}/retry`, { body: { accountId: world.account.id } });
    expect(retried.status).toBe(200);
    expect(retried.body.message).toMatchObject({ id, status: 'sent', error: null });
    const keys = pushes().filter((r) => JSON.stringify(r.body ?? '').includes('retry me')).map((r) => r.headers['x-line-retry-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(texts(user)).toEqual(['retry me']);
    expect(await outboundJobs(id)).toHaveLength(1);
    const again = await world.api(`/api/contacts/${user.contactId}/messages/${id}/retry`, { body: { accountId: world.account.id } });
    expect(again.status).toBe(409);
  });

  it('counts a lost answer as sent on retry: LINE says 409 for the retry key and nothing is delivered twice', async () => {
    const user = await world.linkUser();
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 503, afterProcessing: true, times: 1 });
    const failed = await send(user, { text: 'lost answer' });
    expect(failed.body.message.status).toBe('failed');
    const retried = await world.api(`/api/contacts/${user.contactId}/messages/${failed.body.message.id}/retry`, { body: { accountId: world.account.id } });
    expect(retried.body.message.status).toBe('sent');
    expect(texts(user)).toEqual(['lost answer']);
    const row = await world.backend.ctx.db('messages').where({ id: failed.body.message.id }).first();
    expect(row.line_message_id).toBe(world.line.received(channelId, user.lineUserId)[0].sentMessages[0].id);
  });

  it('reports a timeout as a failure that can be retried', async () => {
    const user = await world.linkUser();
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', hang: true, times: 1 });
    const failed = await send(user, { text: 'slow' });
    expect(failed.body.message).toMatchObject({ status: 'failed', canRetry: true });
    expect(failed.body.message.error).toMatch(/did not answer/);
  }, 20_000);

  it('settles a reply LINE took but never answered: sent once, not pushed again', async () => {
    const user = await world.linkUser();
    const event = world.line.events.text(channelId, user.lineUserId, 'question');
    await storeReplyToken(world.backend.ctx, world.account.id, event);
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/reply', hang: true, afterProcessing: true, times: 1 });
    const res = await send(user, { text: 'answer LINE kept quiet about' });
    expect(res.body.message.status).toBe('sent');
    expect(world.line.received(channelId, user.lineUserId).map((d) => d.via)).toEqual(['reply']);
    expect(pushes().filter((p) => JSON.stringify(p.body).includes('answer LINE kept quiet about'))).toHaveLength(0);
  }, 20_000);

  it('delivers two agents\' simultaneous messages once each, in the order they were stored', async () => {
    const user = await world.linkUser();
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', delayMs: 300, times: 1 });
    const [a, b] = await Promise.all([
      send(user, { text: 'from agent A' }, { userId: 1, userEmail: 'a@example.com' }),
      send(user, { text: 'from agent B' }, { userId: 2, userEmail: 'b@example.com' }),
    ]);
    expect([a.body.message.status, b.body.message.status]).toEqual(['sent', 'sent']);
    const stored = [a.body.message, b.body.message].sort((x, y) => x.id - y.id).map((m) => m.content.text);
    expect(texts(user)).toEqual(stored);
  });

  it('a retry of another conversation\'s message is not found', async () => {
    const user = await world.linkUser();
    const other = await world.linkUser();
    world.line.faults.inject({ method: 'POST', path: '/v2/bot/message/push', status: 500, times: 1 });
    const failed = await send(user, { text: 'mine' });
    const res = await world.api(`/api/contacts/${other.contactId}/messages/${failed.body.message.id}/retry`, { body: { accountId: world.account.id } });
    expect(res.status).toBe(404);
  });

  it('never logs secrets', () => {
    const text = world.backend.logText();
    expect(text).not.toContain(world.account.channel.accessToken);
    expect(text).not.toContain(world.account.channel.channelSecret);
  });
});
