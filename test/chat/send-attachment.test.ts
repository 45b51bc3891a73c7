// Sending a file from the chat panel over HTTP: the panel names a file of the portal's HubSpot file manager
// (as its FileUpload leaves it) and the backend reads it from HubSpot with the portal's token, then sends a
// LINE image (JPEG/PNG up to 1 MB) or a text with the file's link; other portals' and private files are refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../emulators/hubspot/auth.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startChatWorld, type ChatWorld, type LinkedUser } from '../support/chat-world.ts';

describe('sending files from the chat panel', () => {
  let world: ChatWorld;
  let channelId: string;

  beforeAll(async () => {
    world = await startChatWorld();
    channelId = world.account.channel.channelId;
  });
  afterAll(async () => {
    await world?.close();
  });

  const send = (user: LinkedUser, fileId: string, o: { portalId?: number; accountId?: number } = {}) =>
    world.api(`/api/contacts/${user.contactId}/messages`, { body: { accountId: o.accountId ?? world.account.id, clientMessageId: randomUUID(), file: { fileId } }, portalId: o.portalId });
  const received = (user: LinkedUser, channel = channelId) => world.line.received(channel, user.lineUserId).flatMap((d) => d.messages);
  const stored = async (user: LinkedUser) => world.backend.ctx.db('messages').where({ line_user_id: user.lineUserId, direction: 'outbound' });
  const files = () => world.hubspot.portal(world.portalId);

  it('sends a JPEG or PNG up to 1 MB as a LINE image fetched from HubSpot\'s HTTPS URL', async () => {
    const user = await world.linkUser();
    const photo = files().addFile({ name: 'shelf.png', size: 300 * 1024 });
    const res = await send(user, photo.id);
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ status: 'sent', content: { kind: 'image', url: photo.url } });
    expect(received(user)).toEqual([{ type: 'image', originalContentUrl: photo.url, previewImageUrl: photo.url }]);
  });

  it('shows a sent image through the backend\'s own signed media URL (a host the card may load images from), which leads to HubSpot\'s file', async () => {
    const user = await world.linkUser();
    const photo = files().addFile({ name: 'counter.jpg', size: 100 * 1024 });
    const res = await send(user, photo.id);
    const shown = String(res.body.message.content.previewUrl);
    expect(shown.startsWith(`${world.backend.config.PUBLIC_BASE_URL}/media/`)).toBe(true);
    const history = await world.api(`/api/contacts/${user.contactId}/messages?accountId=${world.account.id}`);
    expect(history.body.messages.at(-1).content).toEqual({ kind: 'image', previewUrl: shown, url: photo.url });
    const opened = await fetch(shown, { redirect: 'manual' });
    expect([opened.status, opened.headers.get('location')]).toEqual([302, photo.url]);
  });

  it('sends a PDF, or a photo too large for LINE\'s preview, as a text with its name, size and link', async () => {
    const user = await world.linkUser();
    const pdf = files().addFile({ name: '見積書.pdf', size: Math.round(2.5 * 1024 * 1024) });
    const big = files().addFile({ name: 'IMG_0042.JPG', size: 3 * 1024 * 1024 });
    expect((await send(user, pdf.id)).status).toBe(201);
    expect((await send(user, big.id)).body.message.content).toEqual({ kind: 'text', text: `📎 IMG_0042.JPG (3.0 MB)\n${big.url}` });
    expect(received(user)).toEqual([
      { type: 'text', text: `📎 見積書.pdf (2.5 MB)\n${pdf.url}` },
      { type: 'text', text: `📎 IMG_0042.JPG (3.0 MB)\n${big.url}` },
    ]);
  });

  it('refuses a private file, another portal\'s file and a malformed id, storing and sending nothing', async () => {
    const user = await world.linkUser();
    const secret = files().addFile({ name: 'contract.pdf', size: 1000, access: 'PRIVATE' });
    const otherPortal = await world.installPortal();
    const theirs = world.hubspot.portal(otherPortal).addFile({ name: 'theirs.png', size: 1000 });
    const refusedPrivate = await send(user, secret.id);
    expect([refusedPrivate.status, refusedPrivate.body.error.code]).toEqual([422, 'file_not_public']);
    const refusedOther = await send(user, theirs.id);
    expect([refusedOther.status, refusedOther.body.error.code]).toEqual([404, 'file_not_found']);
    const malformed = await send(user, '../1');
    expect([malformed.status, malformed.body.error.fields[0].path]).toEqual([400, 'file.fileId']);
    expect(await stored(user)).toEqual([]);
    expect(received(user)).toEqual([]);
  });

  it('asks for a reinstall when the install predates the "files" scope', async () => {
    const { portalId } = await installPortal(world.backend.ctx, world.hubspot, { scopes: ALL_SCOPES.filter((s) => s !== 'files') });
    const account = await world.connectAccount(portalId);
    const user = await world.linkUser({ account });
    const file = world.hubspot.portal(portalId).addFile({ name: 'a.png', size: 10 });
    const res = await send(user, file.id, { portalId, accountId: account.id });
    expect([res.status, res.body.error.code]).toEqual([403, 'reinstall_required']);
    expect(received(user, account.channel.channelId)).toEqual([]);
  });
});
