// The emulators' /_emulator control routes, driven over HTTP as a person with curl would: a LINE user is
// created, follows and writes text, a sticker or a picture (each a signed webhook to the channel's URL),
// sees what the account pushed; a portal's contacts are listed. Bad input is refused and changes nothing.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from './hubspot/index.ts';
import { startLineEmulator, type LineEmulator } from './line/index.ts';
import { TINY_PNG } from './line/media.ts';

describe('emulator control routes', () => {
  let line: LineEmulator;
  let hubspot: HubSpotEmulator;
  let receiver: Server;
  const received: Array<{ signature: string | undefined; body: { events: Array<Record<string, unknown>> } }> = [];

  beforeAll(async () => {
    const app = express();
    app.post('/webhook', express.json(), (req, res) => {
      received.push({ signature: req.get('x-line-signature'), body: req.body });
      res.sendStatus(200);
    });
    receiver = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    line = await startLineEmulator({ trafficLog: '' });
    hubspot = await startHubSpotEmulator({ trafficLog: '' });
  });
  afterAll(async () => {
    await Promise.all([line.close(), hubspot.close()]);
    receiver.close();
  });

  const post = (url: string, body?: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('plays a LINE user: create, follow, write text and a sticker, block, and read what the account sent', async () => {
    const channel = line.createChannel({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook` });
    const base = `${line.baseUrl}/_emulator/channels/${channel.channelId}`;

    const created = await post(`${base}/users`, { displayName: 'Aiko' });
    expect(created.status).toBe(201);
    const { userId, displayName } = await created.json();
    expect(displayName).toBe('Aiko');

    expect(await (await post(`${base}/users/${userId}/follow`)).json()).toMatchObject({ webhookStatus: 200 });
    expect(await (await post(`${base}/users/${userId}/messages`, { text: 'こんにちは' })).json()).toMatchObject({ webhookStatus: 200 });
    expect((await post(`${base}/users/${userId}/messages`, { sticker: { packageId: '446', stickerId: '1988' } })).status).toBe(200);
    expect(received.map((w) => w.body.events[0])).toMatchObject([
      { type: 'follow', source: { userId } },
      { type: 'message', message: { type: 'text', text: 'こんにちは' } },
      { type: 'message', message: { type: 'sticker', packageId: '446', stickerId: '1988' } },
    ]);
    expect(received.every((w) => typeof w.signature === 'string')).toBe(true);

    const picture = await post(`${base}/users/${userId}/messages`, { image: { contentType: 'image/png', base64: TINY_PNG.toString('base64') } });
    expect(picture.status).toBe(200);
    const imageEvent = received.at(-1)!.body.events[0] as { message: { id: string; type: string } };
    expect(imageEvent.message.type).toBe('image');
    const content = await fetch(`${line.baseUrl}/v2/bot/message/${imageEvent.message.id}/content`, { headers: { authorization: `Bearer ${channel.accessToken}` } });
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer()).equals(TINY_PNG)).toBe(true);

    const push = await fetch(`${line.baseUrl}/v2/bot/message/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: userId, messages: [{ type: 'text', text: 'ようこそ' }] }),
    });
    expect(push.status).toBe(200);
    const inbox = await (await fetch(`${base}/users/${userId}/received`)).json();
    expect(inbox.friendship).toBe('following');
    expect(inbox.received).toMatchObject([{ via: 'push', messages: [{ type: 'text', text: 'ようこそ' }] }]);

    expect(await (await post(`${base}/users/${userId}/block`)).json()).toMatchObject({ webhookStatus: 200 });
    expect((await (await fetch(`${base}/users/${userId}/received`)).json()).friendship).toBe('blocked');
  });

  it('refuses bad input and unknown channels without delivering anything', async () => {
    const channel = line.createChannel({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook` });
    const base = `${line.baseUrl}/_emulator/channels/${channel.channelId}`;
    const before = received.length;
    const { userId } = await (await post(`${base}/users`)).json();

    const empty = await post(`${base}/users/${userId}/messages`, { text: '' });
    expect(empty.status).toBe(400);
    expect((await empty.json()).message).toContain('text');
    expect((await post(`${base}/users/not-a-user/follow`)).status).toBe(400);
    const notPng = await post(`${base}/users/${userId}/messages`, { image: { contentType: 'image/png', base64: Buffer.from('GIF89a').toString('base64') } });
    expect(notPng.status).toBe(400);
    expect((await notPng.json()).message).toContain('image');
    expect((await post(`${base}/users`, { displayName: 42 })).status).toBe(400);
    const unknown = await post(`${line.baseUrl}/_emulator/channels/1999999999/users`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'no channel 1999999999' });
    expect(received.length).toBe(before);
  });

  it("lists a portal's contacts with their properties, and answers 404 for an unknown portal", async () => {
    const portal = hubspot.createPortal();
    const contact = portal.createObject('contacts', { email: 'aiko@example.com', firstname: 'Aiko' });

    const listed = await fetch(`${hubspot.baseUrl}/_emulator/portals/${portal.portalId}/contacts`);
    expect(listed.status).toBe(200);
    expect((await listed.json()).results).toMatchObject([{ id: contact.id, properties: { email: 'aiko@example.com', firstname: 'Aiko' } }]);
    expect((await fetch(`${hubspot.baseUrl}/_emulator/portals/999/contacts`)).status).toBe(404);
  });
});
