// The Messaging API as the official SDK sees it: sending, retry keys, validation, auth,
// reply tokens, blocked users, groups and the bot-side endpoints.
import { randomUUID } from 'node:crypto';
import { channelAccessToken, HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLineEmulator } from './index.ts';
import type { Channel, LineEmulator } from './index.ts';
import { startWebhookReceiver } from './test-support.ts';

let line: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let secret = '';

beforeAll(async () => {
  line = await startLineEmulator();
  receiver = await startWebhookReceiver(() => secret);
});
afterAll(async () => {
  await line.close();
  await receiver.close();
});

function setup(o: { quota?: number | null } = {}) {
  const channel = line.createChannel({ webhookUrl: receiver.url, monthlyQuota: o.quota ?? null });
  secret = channel.channelSecret;
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.accessToken, baseURL: line.baseUrl });
  return { channel, client };
}

async function friend(channel: Channel) {
  const user = line.createUser();
  await line.follow(channel.channelId, user.userId);
  return user;
}

async function httpError(p: Promise<unknown>): Promise<HTTPFetchError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HTTPFetchError);
  return e as HTTPFetchError;
}

const post = (path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(line.baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('push', () => {
  it('delivers to a friend and answers sentMessages with ids, quote tokens and a request id', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const { httpResponse, body } = await client.pushMessageWithHttpInfo({ to: user.userId, messages: [{ type: 'text', text: 'hello' }, { type: 'sticker', packageId: '446', stickerId: '1988' }] });
    expect(httpResponse.status).toBe(200);
    expect(httpResponse.headers.get('x-line-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.sentMessages).toHaveLength(2);
    expect(body.sentMessages[0].id).toMatch(/^\d+$/);
    expect(body.sentMessages[0].quoteToken).toBeTruthy();
    const got = line.received(channel.channelId, user.userId);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ via: 'push', messages: [{ type: 'text', text: 'hello' }, { type: 'sticker' }] });
  });

  it('answers 409 with the accepted request id and the original sentMessages for a repeated retry key', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const key = randomUUID();
    const first = await client.pushMessageWithHttpInfo({ to: user.userId, messages: [{ type: 'text', text: 'once' }] }, key);
    const e = await httpError(client.pushMessage({ to: user.userId, messages: [{ type: 'text', text: 'once' }] }, key));
    expect(e.status).toBe(409);
    expect(e.headers.get('x-line-accepted-request-id')).toBe(first.httpResponse.headers.get('x-line-request-id'));
    expect(JSON.parse(e.body)).toEqual({ message: 'The retry key is already accepted', sentMessages: first.body.sentMessages });
    expect(line.received(channel.channelId, user.userId)).toHaveLength(1);
    expect(line.received(channel.channelId, user.userId)[0].retryKey).toBe(key);
  });

  it('forgets retry keys after 24 hours', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const key = randomUUID();
    await client.pushMessage({ to: user.userId, messages: [{ type: 'text', text: 'a' }] }, key);
    line.clock.advance(24 * 3600_000 + 1);
    await client.pushMessage({ to: user.userId, messages: [{ type: 'text', text: 'a' }] }, key);
    expect(line.received(channel.channelId, user.userId)).toHaveLength(2);
  });

  it('rejects a retry key that is not a UUID, and retry keys on endpoints without them (reply, profile)', async () => {
    const { channel } = setup();
    const user = await friend(channel);
    const bad = await post('/v2/bot/message/push', channel.accessToken, { to: user.userId, messages: [{ type: 'text', text: 'x' }] }, { 'x-line-retry-key': 'not-a-uuid' });
    expect(bad.status).toBe(400);
    const reply = await post('/v2/bot/message/reply', channel.accessToken, { replyToken: 'a'.repeat(32), messages: [{ type: 'text', text: 'x' }] }, { 'x-line-retry-key': randomUUID() });
    expect(reply.status).toBe(400);
    const profile = await fetch(`${line.baseUrl}/v2/bot/profile/${user.userId}`, { headers: { authorization: `Bearer ${channel.accessToken}`, 'x-line-retry-key': randomUUID() } });
    expect(profile.status).toBe(400);
    expect(line.received(channel.channelId, user.userId)).toHaveLength(0);
  });

  it('answers 200 but delivers nothing to a user who blocked the account, whose profile is then 404', async () => {
    const { channel, client } = setup({ quota: 10 });
    const user = await friend(channel);
    expect((await client.getProfile(user.userId)).displayName).toBe(user.displayName);
    await line.unfollow(channel.channelId, user.userId);
    expect(line.friendship(channel.channelId, user.userId)).toBe('blocked');
    await client.pushMessage({ to: user.userId, messages: [{ type: 'text', text: 'anyone?' }] });
    expect(line.received(channel.channelId, user.userId)).toHaveLength(0);
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(0);
    expect((await httpError(client.getProfile(user.userId))).status).toBe(404);
    const again = await line.follow(channel.channelId, user.userId);
    expect(again.events[0].follow).toEqual({ isUnblocked: true });
  });

  it('answers 400 "Failed to send messages" for a user ID LINE does not know', async () => {
    const { client } = setup();
    const e = await httpError(client.pushMessage({ to: 'U' + '0'.repeat(32), messages: [{ type: 'text', text: 'x' }] }));
    expect(e.status).toBe(400);
    expect(JSON.parse(e.body).message).toBe('Failed to send messages');
  });
});

describe('message validation', () => {
  it('answers LINE error details with property paths', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const e = await httpError(
      client.pushMessage({
        to: user.userId,
        messages: [
          { type: 'text', text: '😀'.repeat(2501) }, // 5002 UTF-16 units
          { type: 'image', originalContentUrl: 'http://example.com/a.png', previewImageUrl: 'https://example.com/p.png' },
          { type: 'template', altText: 'x'.repeat(401), template: { type: 'confirm', text: 'ok?', actions: [{ type: 'message', label: 'Yes', text: 'yes' }, { type: 'message', label: 'No', text: 'no' }] } },
          { type: 'flex', altText: 'y'.repeat(1501), contents: { type: 'bubble' } },
          { type: 'text', text: '' },
        ],
      }),
    );
    expect(e.status).toBe(400);
    const body = JSON.parse(e.body);
    expect(body.message).toBe('The request body has 5 error(s)');
    expect(body.details.map((d: { property: string }) => d.property)).toEqual([
      'messages[0].text',
      'messages[1].originalContentUrl',
      'messages[2].altText',
      'messages[3].altText',
      'messages[4].text',
    ]);
    expect(line.received(channel.channelId, user.userId)).toHaveLength(0);
  });

  it('accepts exactly 5000 UTF-16 units and validates through the validate endpoints', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    await client.pushMessage({ to: user.userId, messages: [{ type: 'text', text: '😀'.repeat(2500) }] });
    expect(await client.validatePush({ messages: [{ type: 'text', text: 'ok' }] })).toEqual({});
    const e = await httpError(client.validateReply({ messages: [{ type: 'sticker', packageId: '1', stickerId: '' }] }));
    expect(JSON.parse(e.body).details).toEqual([{ message: 'May not be empty', property: 'messages[0].stickerId' }]);
  });

  it('rejects unknown properties and quote tokens it never issued', async () => {
    const { channel } = setup();
    const user = await friend(channel);
    const res = await post('/v2/bot/message/push', channel.accessToken, { to: user.userId, messages: [{ type: 'text', text: 'x' }], colour: 'red' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain("'colour'");
    const quoted = await post('/v2/bot/message/push', channel.accessToken, { to: user.userId, messages: [{ type: 'text', text: 'x', quoteToken: 'made-up' }] });
    expect((await quoted.json()).details[0].property).toBe('messages[0].quoteToken');
  });
});

describe('authentication', () => {
  it('answers 401 with LINE error bodies for a wrong or missing token', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: 'wrong', baseURL: line.baseUrl });
    const e = await httpError(client.getBotInfo());
    expect(e.status).toBe(401);
    expect(JSON.parse(e.body).message).toMatch(/^Authentication failed/);
    const missing = await fetch(`${line.baseUrl}/v2/bot/info`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).message).toMatch(/^Authorization header required/);
  });

  it('issues stateless channel access tokens from the channel ID and secret', async () => {
    const { channel } = setup();
    const tokens = new channelAccessToken.ChannelAccessTokenClient({ baseURL: line.baseUrl });
    const issued = await tokens.issueStatelessChannelTokenByClientSecret(channel.channelId, channel.channelSecret);
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: issued.access_token, baseURL: line.baseUrl });
    expect((await client.getBotInfo()).userId).toBe(channel.botUserId);
    line.clock.advance(901_000);
    expect((await httpError(client.getBotInfo())).status).toBe(401);
  });
});

describe('reply tokens', () => {
  it('are single use', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const { events } = await line.sendText(channel.channelId, user.userId, 'hi');
    const replyToken = String(events[0].replyToken);
    expect(replyToken).toMatch(/^[0-9a-f]{32}$/);
    await client.replyMessage({ replyToken, messages: [{ type: 'text', text: 'hello back' }] });
    const e = await httpError(client.replyMessage({ replyToken, messages: [{ type: 'text', text: 'again' }] }));
    expect(e.status).toBe(400);
    expect(JSON.parse(e.body)).toEqual({ message: 'Invalid reply token' });
    expect(line.received(channel.channelId, user.userId).map((d) => d.via)).toEqual(['reply']);
  });

  it('expire after a minute of emulator time', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const { events } = await line.postback(channel.channelId, user.userId, 'action=buy');
    line.clock.advance(61_000);
    const e = await httpError(client.replyMessage({ replyToken: String(events[0].replyToken), messages: [{ type: 'text', text: 'late' }] }));
    expect(JSON.parse(e.body).message).toBe('Invalid reply token');
  });

  it('are not issued for standby or unfollow events', async () => {
    const { channel } = setup();
    const user = await friend(channel);
    const standby = await line.sendText(channel.channelId, user.userId, 'psst', { mode: 'standby' });
    expect(standby.events[0].replyToken).toBeUndefined();
    const unfollow = await line.unfollow(channel.channelId, user.userId);
    expect(unfollow.events[0].replyToken).toBeUndefined();
  });
});

describe('multicast, broadcast and groups', () => {
  it('multicast reaches friends only and counts the quota per delivered user', async () => {
    const { channel, client } = setup({ quota: 100 });
    const [a, b, c] = [await friend(channel), await friend(channel), await friend(channel)];
    await line.unfollow(channel.channelId, c.userId);
    expect(await client.multicast({ to: [a.userId, b.userId, c.userId], messages: [{ type: 'text', text: 'news' }] }, randomUUID())).toEqual({});
    expect(line.received(channel.channelId, a.userId)[0].via).toBe('multicast');
    expect(line.received(channel.channelId, b.userId)).toHaveLength(1);
    expect(line.received(channel.channelId, c.userId)).toHaveLength(0);
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(2);
    await client.broadcast({ messages: [{ type: 'text', text: 'all' }] });
    expect(line.received(channel.channelId, a.userId).map((d) => d.via)).toEqual(['multicast', 'broadcast']);
  });

  it('pushes to groups the bot is in and answers group summary and member profiles', async () => {
    const { channel, client } = setup();
    const member = line.createUser();
    const { events } = await line.joinGroup(channel.channelId, undefined, [member.userId], { groupName: 'Sales team' });
    const groupId = String((events[0].source as { groupId: string }).groupId);
    expect(groupId).toMatch(/^C[0-9a-f]{32}$/);
    await client.pushMessage({ to: groupId, messages: [{ type: 'text', text: 'hello group' }] });
    expect(line.received(channel.channelId, groupId)).toHaveLength(1);
    expect(await client.getGroupSummary(groupId)).toMatchObject({ groupId, groupName: 'Sales team' });
    expect((await client.getGroupMemberProfile(groupId, member.userId)).displayName).toBe(member.displayName);
    const inGroup = await line.sendText(channel.channelId, member.userId, 'hi all', { groupId });
    expect(inGroup.events[0].source).toEqual({ type: 'group', groupId, userId: member.userId });
    await line.leaveGroup(channel.channelId, groupId);
    expect((await httpError(client.getGroupSummary(groupId))).status).toBe(404);
    // LINE refuses a push to a group the bot is no longer in, as to any destination it cannot send to.
    const refused = await httpError(client.pushMessage({ to: groupId, messages: [{ type: 'text', text: 'still there?' }] }, randomUUID()));
    expect([refused.status, JSON.parse(refused.body)]).toEqual([400, { message: 'Failed to send messages' }]);
    expect(line.received(channel.channelId, groupId)).toHaveLength(1);
  });
});

describe('bot endpoints', () => {
  it('answers bot info, webhook endpoint settings and quota', async () => {
    const { channel, client } = setup({ quota: 500 });
    expect(await client.getBotInfo()).toMatchObject({ userId: channel.botUserId, basicId: channel.basicId, chatMode: 'bot', markAsReadMode: 'auto' });
    await client.setWebhookEndpoint({ endpoint: 'https://backend.example.com/line/webhook/abc' });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: 'https://backend.example.com/line/webhook/abc', active: true });
    const e = await httpError(client.setWebhookEndpoint({ endpoint: 'http://backend.example.com/hook' }));
    expect(e.status).toBe(400);
    expect(await client.getMessageQuota()).toEqual({ type: 'limited', value: 500 });
  });

  it('shows the loading animation in one-on-one chats only, for 5..60 seconds in steps of 5', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const ok = await client.showLoadingAnimationWithHttpInfo({ chatId: user.userId, loadingSeconds: 10 });
    expect(ok.httpResponse.status).toBe(202);
    expect(line.loadingShown(channel.channelId)).toMatchObject([{ chatId: user.userId, loadingSeconds: 10 }]);
    expect((await httpError(client.showLoadingAnimation({ chatId: user.userId, loadingSeconds: 7 }))).status).toBe(400);
    expect((await httpError(client.showLoadingAnimation({ chatId: 'C' + '1'.repeat(32) }))).status).toBe(400);
  });

  it('marks chats as read with the token from a message event', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    const { events } = await line.sendText(channel.channelId, user.userId, 'read me');
    const token = String((events[0].message as { markAsReadToken: string }).markAsReadToken);
    await client.markMessagesAsReadByToken({ markAsReadToken: token });
    expect(line.readMarks(channel.channelId)).toMatchObject([{ userId: user.userId }]);
    expect((await httpError(client.markMessagesAsReadByToken({ markAsReadToken: 'bogus' }))).status).toBe(400);
  });

  it('issues link tokens for friends', async () => {
    const { channel, client } = setup();
    const user = await friend(channel);
    expect((await client.issueLinkToken(user.userId)).linkToken).toBeTruthy();
  });
});
