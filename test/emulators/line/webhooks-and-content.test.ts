// Webhooks as a backend receives them (signed, real-format IDs, batches, redelivery, the
// connectivity test) and message content downloads through the official blob client.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLineEmulator } from './index.ts';
import type { LineEmulator } from './index.ts';
import { TINY_PNG } from './media.ts';
import { startWebhookReceiver } from './test-support.ts';

let line: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let secret = '';
let answerStatus = 200;

beforeAll(async () => {
  line = await startLineEmulator();
  receiver = await startWebhookReceiver(
    () => secret,
    () => answerStatus,
  );
});
afterAll(async () => {
  await line.close();
  await receiver.close();
});

function setup() {
  answerStatus = 200;
  const channel = line.createChannel({ webhookUrl: receiver.url });
  secret = channel.channelSecret;
  const user = line.createUser();
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.accessToken, baseURL: line.baseUrl });
  const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: channel.accessToken, baseURL: line.baseUrl });
  return { channel, user, client, blob };
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

describe('webhook deliveries', () => {
  it('are signed with the channel secret and carry real-format IDs', async () => {
    const { channel, user } = setup();
    await line.follow(channel.channelId, user.userId);
    const result = await line.sendText(channel.channelId, user.userId, 'Hello');
    expect(result.status).toBe(200);
    const got = receiver.received.at(-1)!;
    expect(got.signatureValid).toBe(true);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.body.destination).toBe(channel.botUserId);
    const [event] = got.body.events;
    expect(event).toMatchObject({ type: 'message', mode: 'active', source: { type: 'user', userId: user.userId }, deliveryContext: { isRedelivery: false } });
    expect(event.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(event.replyToken).toMatch(/^[0-9a-f]{32}$/);
    expect(event.message).toMatchObject({ type: 'text', text: 'Hello' });
    expect(event.message.id).toMatch(/^\d{15,}$/);
    expect(event.message.quoteToken).toBeTruthy();
    expect(event.message.markAsReadToken).toBeTruthy();
    expect(event.timestamp).toBeLessThanOrEqual(line.clock.now());
  });

  it('fail the signature check when the backend holds another secret', async () => {
    const { channel, user } = setup();
    await line.follow(channel.channelId, user.userId);
    secret = 'f'.repeat(32);
    await line.sendSticker(channel.channelId, user.userId, '446', '1988');
    expect(receiver.received.at(-1)!.signatureValid).toBe(false);
  });

  it('batch events of several users into one body and report the backend answer', async () => {
    const { channel } = setup();
    const users = [line.createUser(), line.createUser(), line.createUser()];
    const events = users.map((u) => line.events.follow(channel.channelId, u.userId));
    events.push(line.events.text(channel.channelId, users[0].userId, 'first!'));
    const before = receiver.received.length;
    answerStatus = 500;
    const answer = await line.deliver(channel.channelId, events);
    expect(answer).toEqual({ status: 500, body: 'nope' });
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)!.body.events.map((e) => e.type)).toEqual(['follow', 'follow', 'follow', 'message']);
    expect(new Set(events.map((e) => e.webhookEventId)).size).toBe(4);
  });

  it('redeliver the same event with isRedelivery and a reply token that lives longer', async () => {
    const { channel, user, client } = setup();
    await line.follow(channel.channelId, user.userId);
    const { events } = await line.sendText(channel.channelId, user.userId, 'did you get this?');
    line.clock.advance(5 * 60_000);
    const answer = await line.redeliver(channel.channelId, events[0].webhookEventId);
    expect(answer.status).toBe(200);
    const again = receiver.received.at(-1)!.body.events[0];
    expect(again.webhookEventId).toBe(events[0].webhookEventId);
    expect(again.deliveryContext).toEqual({ isRedelivery: true });
    await client.replyMessage({ replyToken: again.replyToken, messages: [{ type: 'text', text: 'yes' }] });
    expect(line.received(channel.channelId, user.userId)).toHaveLength(1);
  });

  it('cover the other event types in their documented shapes', async () => {
    const { channel, user } = setup();
    await line.follow(channel.channelId, user.userId);
    const file = await line.sendFile(channel.channelId, user.userId, 'quote.pdf', Buffer.from('%PDF-1.4'));
    expect(file.events[0].message).toMatchObject({ type: 'file', fileName: 'quote.pdf', fileSize: 8 });
    const loc = await line.sendLocation(channel.channelId, user.userId, { title: 'Office', address: 'Tokyo', latitude: 35.68, longitude: 139.76 });
    expect(loc.events[0].message).toMatchObject({ type: 'location', latitude: 35.68 });
    const pb = await line.postback(channel.channelId, user.userId, 'date', { date: '2026-01-01' });
    expect(pb.events[0].postback).toEqual({ data: 'date', params: { date: '2026-01-01' } });
    const messageId = String((file.events[0].message as { id: string }).id);
    const unsend = await line.unsend(channel.channelId, user.userId, messageId);
    expect(unsend.events[0]).toMatchObject({ type: 'unsend', unsend: { messageId } });
    expect(unsend.events[0].replyToken).toBeUndefined();
    const edited = await line.editMessage(channel.channelId, user.userId, messageId, 'fixed');
    expect(edited.events[0]).toMatchObject({ type: 'messageEdited', message: { id: messageId, type: 'text', text: 'fixed' } });
    const link = await line.accountLink(channel.channelId, user.userId, 'nonce-123');
    expect(link.events[0].link).toEqual({ result: 'ok', nonce: 'nonce-123' });
    const other = line.createUser();
    const { events } = await line.joinGroup(channel.channelId, undefined, [user.userId]);
    const groupId = String((events[0].source as { groupId: string }).groupId);
    const joined = await line.memberJoined(channel.channelId, groupId, [other.userId]);
    expect(joined.events[0].joined).toEqual({ members: [{ type: 'user', userId: other.userId }] });
    const left = await line.memberLeft(channel.channelId, groupId, [other.userId]);
    expect(left.events[0].replyToken).toBeUndefined();
  });
});

describe('webhook endpoint test', () => {
  it('really POSTs a signed empty events body to the endpoint and reports the answer', async () => {
    const { channel, client } = setup();
    await client.setWebhookEndpoint({ endpoint: receiver.url });
    const ok = await client.testWebhookEndpoint({});
    expect(ok).toMatchObject({ success: true, statusCode: 200, reason: 'OK', detail: '200' });
    const got = receiver.received.at(-1)!;
    expect(got.body).toEqual({ destination: channel.botUserId, events: [] });
    expect(got.signatureValid).toBe(true);
    answerStatus = 404;
    expect(await client.testWebhookEndpoint({ endpoint: receiver.url })).toMatchObject({ success: false, statusCode: 404 });
    const unreachable = await client.testWebhookEndpoint({ endpoint: 'http://127.0.0.1:9/nothing-here' });
    expect(unreachable).toMatchObject({ success: false, statusCode: 0 });
  });
});

describe('message content', () => {
  it('serves the bytes of images users send, with their content type', async () => {
    const { channel, user, blob } = setup();
    await line.follow(channel.channelId, user.userId);
    const { events } = await line.sendImage(channel.channelId, user.userId);
    const message = events[0].message as { id: string; contentProvider: unknown };
    expect(message.contentProvider).toEqual({ type: 'line' });
    const { httpResponse, body } = await blob.getMessageContentWithHttpInfo(message.id);
    expect(httpResponse.headers.get('content-type')).toBe('image/png');
    expect(await bytesOf(body)).toEqual(TINY_PNG);
  });

  it('serves custom video bytes and reports transcoding until ready', async () => {
    const { channel, user, blob } = setup();
    await line.follow(channel.channelId, user.userId);
    const { events } = await line.sendVideo(channel.channelId, user.userId, { bytes: Buffer.from('big video'), contentType: 'video/mp4' });
    const id = String((events[0].message as { id: string }).id);
    line.setContent(id, { bytes: Buffer.from('big video'), contentType: 'video/mp4', transcodingFor: 1, channelId: channel.channelId });
    expect(await blob.getMessageContentTranscodingByMessageId(id)).toEqual({ status: 'processing' });
    expect(await blob.getMessageContentTranscodingByMessageId(id)).toEqual({ status: 'succeeded' });
    expect((await bytesOf(await blob.getMessageContent(id))).toString()).toBe('big video');
  });

  it('answers 404 for unknown messages and for content of another channel', async () => {
    const a = setup();
    await line.follow(a.channel.channelId, a.user.userId);
    const { events } = await line.sendAudio(a.channel.channelId, a.user.userId);
    const b = setup();
    const id = String((events[0].message as { id: string }).id);
    await expect(b.blob.getMessageContent(id)).rejects.toMatchObject({ status: 404 });
    await expect(a.blob.getMessageContent('123')).rejects.toMatchObject({ status: 404 });
  });
});

describe('traffic log', () => {
  it('records API exchanges and webhook bodies in the spec-check format', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'line-traffic-')), 'traffic.jsonl');
    const local = await startLineEmulator({ trafficLog: file });
    const rx = await startWebhookReceiver(() => channel.channelSecret);
    const channel = local.createChannel({ webhookUrl: rx.url });
    const user = local.createUser();
    await local.follow(channel.channelId, user.userId);
    const { events } = await local.sendImage(channel.channelId, user.userId);
    await fetch(`${local.baseUrl}/v2/bot/message/${String((events[0].message as { id: string }).id)}/content`, { headers: { authorization: `Bearer ${channel.accessToken}` } });
    await fetch(`${local.baseUrl}/oauth2/v3/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: channel.channelId, client_secret: channel.channelSecret }),
    });
    await local.close();
    await rx.close();
    const entries = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.filter((e) => e.service === 'line-webhook')).toHaveLength(2);
    expect(entries[0]).toMatchObject({ service: 'line-webhook', method: 'POST', path: '/line/webhook/test-key', status: 200, requestBody: { destination: channel.botUserId } });
    expect(entries[2]).toMatchObject({ service: 'line', method: 'GET', status: 200, requestBody: null, responseBody: null });
    expect(entries[3]).toMatchObject({ service: 'line', path: '/oauth2/v3/token', requestContentType: 'application/x-www-form-urlencoded', requestBody: { grant_type: 'client_credentials' } });
    expect(entries[3].responseBody).toMatchObject({ token_type: 'Bearer' });
  });
});

// Requests that break the OpenAPI schema itself (and the 202 that the spec does not list for content
// downloads although the platform answers it) run against an emulator that records no traffic, so the
// recorded traffic that spec-check validates stays what a correct client and platform exchange.
describe('outside the documented schemas', () => {
  let quiet: LineEmulator;
  beforeAll(async () => {
    quiet = await startLineEmulator({ trafficLog: '' });
  });
  afterAll(() => quiet.close());

  const push = (token: string, body: string) =>
    fetch(`${quiet.baseUrl}/v2/bot/message/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

  it('answers 400 for malformed JSON, too many messages and too many quick replies', async () => {
    const channel = quiet.createChannel();
    const user = quiet.createUser();
    const broken = await push(channel.accessToken, '{"to": "x", ');
    expect(broken.status).toBe(400);
    expect((await broken.json()).message).toMatch(/^The request body could not be parsed as JSON/);
    const six = await push(channel.accessToken, JSON.stringify({ to: user.userId, messages: Array.from({ length: 6 }, () => ({ type: 'text', text: 'x' })) }));
    expect(await six.json()).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'Size must be between 1 and 5', property: 'messages' }] });
    const items = Array.from({ length: 14 }, (_, i) => ({ type: 'action', action: { type: 'message', label: `L${i}`, text: 't' } }));
    const qr = await push(channel.accessToken, JSON.stringify({ to: user.userId, messages: [{ type: 'text', text: 'x', quickReply: { items } }] }));
    expect((await qr.json()).details).toEqual([{ message: 'Size must be between 1 and 13', property: 'messages[0].quickReply.items' }]);
  });

  it('answers 202 for content that is still being prepared, then 200', async () => {
    const channel = quiet.createChannel();
    quiet.setContent('100001', { bytes: Buffer.from('audio'), contentType: 'audio/x-m4a', transcodingFor: 2 });
    const get = () => fetch(`${quiet.baseUrl}/v2/bot/message/100001/content`, { headers: { authorization: `Bearer ${channel.accessToken}` } });
    expect((await get()).status).toBe(202);
    expect((await get()).status).toBe(202);
    const ready = await get();
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toBe('audio/x-m4a');
    expect(Buffer.from(await ready.arrayBuffer()).toString()).toBe('audio');
  });
});
