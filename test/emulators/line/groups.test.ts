// LINE groups as the emulator plays them, driven through the /_emulator control routes (as with curl)
// and read back through the official SDK: a group of users, the bot joining, members writing (signed
// webhooks with group sources and reply tokens), replies and pushes to the group, the group summary,
// member count and member profiles, members coming and going, and the bot removed.
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLineEmulator, type LineEmulator } from './index.ts';
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

const post = (url: string, body?: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

async function status(p: Promise<unknown>): Promise<number> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(HTTPFetchError);
  return (e as HTTPFetchError).status;
}

function setup() {
  const channel = line.createChannel({ webhookUrl: receiver.url });
  secret = channel.channelSecret;
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.accessToken, baseURL: line.baseUrl });
  return { channel, client, base: `${line.baseUrl}/_emulator/channels/${channel.channelId}` };
}

describe('LINE groups', () => {
  it('plays a group from the bot joining to its removal, with members writing, coming and going', async () => {
    const { client, base } = setup();
    const [aiko, ben, chika] = ['Aiko', 'Ben', 'Chika'].map((displayName) => line.createUser({ displayName }));
    const created = await post(`${base}/groups`, { groupName: 'Tanaka Trading × Supplier', memberUserIds: [aiko.userId, ben.userId] });
    expect(created.status).toBe(201);
    const { groupId } = await created.json();
    expect(groupId).toMatch(/^C[0-9a-f]{32}$/);
    expect(await status(client.getGroupSummary(groupId))).toBe(404); // the bot is not in it yet

    const sent = receiver.received.length;
    expect(await (await post(`${base}/groups/${groupId}/join`)).json()).toMatchObject({ webhookStatus: 200, events: [{ type: 'join', source: { type: 'group', groupId } }] });
    expect(await client.getGroupSummary(groupId)).toMatchObject({ groupId, groupName: 'Tanaka Trading × Supplier', pictureUrl: expect.stringMatching(/^https:\/\//) });
    expect(await client.getGroupMemberCount(groupId)).toEqual({ count: 2 });
    expect(await client.getGroupMemberProfile(groupId, ben.userId)).toMatchObject({ userId: ben.userId, displayName: 'Ben' });
    expect(await status(client.getGroupMemberProfile(groupId, chika.userId))).toBe(404); // not a member

    const wrote = await (await post(`${base}/groups/${groupId}/members/${aiko.userId}/messages`, { text: 'Order #12 is late' })).json();
    const message = wrote.events[0];
    expect(message).toMatchObject({ type: 'message', source: { type: 'group', groupId, userId: aiko.userId }, message: { type: 'text', text: 'Order #12 is late' } });
    expect(message.message.markAsReadToken).toBeUndefined(); // read marks exist for 1:1 chats only
    await client.replyMessage({ replyToken: message.replyToken, messages: [{ type: 'text', text: 'Checking now' }] });
    expect(await status(client.replyMessage({ replyToken: message.replyToken, messages: [{ type: 'text', text: 'again' }] }))).toBe(400);
    await client.pushMessage({ to: groupId, messages: [{ type: 'sticker', packageId: '446', stickerId: '1988' }] });
    const inbox = await (await fetch(`${base}/groups/${groupId}/received`)).json();
    expect(inbox.received).toMatchObject([{ via: 'reply', messages: [{ text: 'Checking now' }] }, { via: 'push', messages: [{ type: 'sticker' }] }]);

    expect(await (await post(`${base}/groups/${groupId}/members`, { userIds: [chika.userId] })).json()).toMatchObject({
      events: [{ type: 'memberJoined', joined: { members: [{ type: 'user', userId: chika.userId }] }, replyToken: expect.any(String) }],
    });
    expect(await client.getGroupMemberCount(groupId)).toEqual({ count: 3 });
    expect(await (await post(`${base}/groups/${groupId}/members/${ben.userId}/leave`)).json()).toMatchObject({ events: [{ type: 'memberLeft', left: { members: [{ userId: ben.userId }] } }] });
    expect(await client.getGroupMemberCount(groupId)).toEqual({ count: 2 });
    expect(await status(client.getGroupMemberProfile(groupId, ben.userId))).toBe(404);

    const left = await (await post(`${base}/groups/${groupId}/leave`)).json();
    expect(left.events[0]).toMatchObject({ type: 'leave', source: { type: 'group', groupId } });
    expect(left.events[0].replyToken).toBeUndefined();
    expect(await status(client.getGroupSummary(groupId))).toBe(404);
    expect(await status(client.getGroupMemberCount(groupId))).toBe(404);
    expect(receiver.received.slice(sent).every((w) => w.signatureValid)).toBe(true);
    expect(receiver.received.slice(sent).map((w) => w.body.events[0].type)).toEqual(['join', 'message', 'memberJoined', 'memberLeft', 'leave']);
  });

  it('lets a member who blocked the account still write in the group', async () => {
    const { channel, base } = setup();
    const user = line.createUser();
    await line.follow(channel.channelId, user.userId);
    await line.unfollow(channel.channelId, user.userId);
    const group = line.createGroup({ memberUserIds: [user.userId] });
    await line.joinGroup(channel.channelId, group.groupId);
    const wrote = await post(`${base}/groups/${group.groupId}/members/${user.userId}/messages`, { sticker: { packageId: '446', stickerId: '1988' } });
    expect((await wrote.json()).events[0]).toMatchObject({ source: { type: 'group', userId: user.userId }, message: { type: 'sticker' } });
  });

  it("serves what a member posts in a group by the same content API as 1:1 content, to the group's channel only", async () => {
    const { channel, base } = setup();
    const user = line.createUser();
    const group = line.createGroup({ memberUserIds: [user.userId] });
    await line.joinGroup(channel.channelId, group.groupId);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const wrote = await (await post(`${base}/groups/${group.groupId}/members/${user.userId}/messages`, { image: { contentType: 'image/png', base64: png.toString('base64') } })).json();
    const event = wrote.events[0];
    expect(event).toMatchObject({ source: { type: 'group', groupId: group.groupId, userId: user.userId }, message: { type: 'image', contentProvider: { type: 'line' } } });
    const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: channel.accessToken, baseURL: line.baseUrl });
    const content = await blob.getMessageContentWithHttpInfo(event.message.id);
    expect(content.httpResponse.headers.get('content-type')).toBe('image/png');
    const chunks: Buffer[] = [];
    for await (const chunk of content.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(png)).toBe(true);
    const stranger = line.createChannel();
    const strangerBlob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: stranger.accessToken, baseURL: line.baseUrl });
    expect(await status(strangerBlob.getMessageContent(event.message.id))).toBe(404);
    expect((await post(`${base}/groups/${group.groupId}/members/${user.userId}/messages`, { image: { contentType: 'image/gif', base64: 'R0lGOD' } })).status).toBe(400);
  });

  it('refuses bad input and actions the group cannot take, sending no webhook', async () => {
    const { channel, base } = setup();
    const user = line.createUser();
    const group = line.createGroup({ memberUserIds: [user.userId] });
    const before = receiver.received.length;
    expect((await post(`${base}/groups`, { memberUserIds: ['nope'] })).status).toBe(400);
    expect((await post(`${base}/groups`, { memberUserIds: ['U' + 'f'.repeat(32)] })).status).toBe(400); // unknown user
    expect((await post(`${base}/groups`, { groupName: '' })).status).toBe(400);
    expect((await post(`${line.baseUrl}/_emulator/channels/1999999999/groups`)).status).toBe(404);
    expect((await post(`${base}/groups/not-a-group/join`)).status).toBe(400);
    expect((await post(`${base}/groups/C${'0'.repeat(32)}/join`)).status).toBe(404);
    // The bot is not in the group: nobody can write to it, nothing can be left.
    expect((await post(`${base}/groups/${group.groupId}/members/${user.userId}/messages`, { text: 'hi' })).status).toBe(409);
    expect((await post(`${base}/groups/${group.groupId}/leave`)).status).toBe(409);
    expect((await post(`${base}/groups/${group.groupId}/members`, { userIds: [user.userId] })).status).toBe(409);
    await line.joinGroup(channel.channelId, group.groupId);
    const joined = receiver.received.length;
    expect((await post(`${base}/groups/${group.groupId}/join`)).status).toBe(409);
    expect((await post(`${base}/groups/${group.groupId}/members`, { userIds: [] })).status).toBe(400);
    expect((await post(`${base}/groups/${group.groupId}/members/${user.userId}/messages`, { text: '' })).status).toBe(400);
    expect(receiver.received.length).toBe(joined);
    expect(joined).toBe(before + 1);
  });
});
