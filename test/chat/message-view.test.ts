// What the chat panel shows for a stored message row (bubble content, sender, state), without a backend.
import { describe, expect, it } from 'vitest';
import { messageView, parsePayload, STALE_SENDING_MS, stickerImageUrl, type MediaLinker } from '../../backend/src/chat/message-view.ts';

const NOW = 1_800_000_000_000;
const stored: MediaLinker = ({ id, type }) => `https://backend.example.com/media/${id}?${type}`;
const noMedia: MediaLinker = () => null;

const row = (o: Record<string, unknown>) => ({
  id: 7,
  direction: 'inbound',
  type: 'text',
  text: null,
  payload: null,
  status: 'received',
  line_message_id: '5001',
  created_at: NOW - 1_000,
  updated_at: NOW - 1_000,
  ...o,
});
const contentOf = (o: Record<string, unknown>, linker = stored) => messageView(row(o), linker, NOW).content;

describe('message view content', () => {
  it('texts come whole from the LINE message, else from the text column (a summary cut at 1,000 characters)', () => {
    const whole = 'x'.repeat(1_500);
    expect(contentOf({ text: `${'x'.repeat(999)}…`, payload: JSON.stringify({ type: 'text', text: whole }) })).toEqual({ kind: 'text', text: whole });
    expect(contentOf({ text: 'stored text', payload: JSON.stringify({ type: 'image' }) })).toEqual({ kind: 'text', text: 'stored text' });
    expect(contentOf({ payload: JSON.stringify({ type: 'text', text: 'payload text' }) })).toEqual({ kind: 'text', text: 'payload text' });
    expect(contentOf({})).toEqual({ kind: 'text', text: '' });
  });

  it('stickers point at LINE\'s sticker image', () => {
    expect(contentOf({ type: 'sticker', payload: JSON.stringify({ packageId: '446', stickerId: '1988' }) })).toEqual({
      kind: 'sticker',
      packageId: '446',
      stickerId: '1988',
      imageUrl: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png',
    });
    expect(stickerImageUrl('../x')).toBe('https://stickershop.line-scdn.net/stickershop/v1/sticker/..%2Fx/android/sticker.png');
  });

  it('images LINE hosts are served from our media URL; received external images keep their own URLs; sent images show through our media URL and open where they live', () => {
    expect(contentOf({ type: 'image' })).toEqual({ kind: 'image', previewUrl: 'https://backend.example.com/media/7?image', url: 'https://backend.example.com/media/7?image' });
    expect(contentOf({ type: 'image' }, noMedia)).toEqual({ kind: 'image', previewUrl: null, url: null });
    const external = { contentProvider: { type: 'external', originalContentUrl: 'https://cdn.example.com/a.jpg', previewImageUrl: 'https://cdn.example.com/a-small.jpg' } };
    expect(contentOf({ type: 'image', payload: JSON.stringify(external) })).toEqual({ kind: 'image', previewUrl: 'https://cdn.example.com/a-small.jpg', url: 'https://cdn.example.com/a.jpg' });
    const sent = { originalContentUrl: 'https://cdn.example.com/b.jpg' };
    expect(contentOf({ type: 'image', direction: 'outbound', payload: JSON.stringify(sent) })).toEqual({ kind: 'image', previewUrl: 'https://backend.example.com/media/7?image', url: 'https://cdn.example.com/b.jpg' });
    // Without a media URL (a group chat's view), the image's own URL.
    expect(contentOf({ type: 'image', direction: 'outbound', payload: JSON.stringify(sent) }, noMedia)).toEqual({ kind: 'image', previewUrl: 'https://cdn.example.com/b.jpg', url: 'https://cdn.example.com/b.jpg' });
  });

  it('video, audio and files carry name, size and duration when LINE gave them', () => {
    expect(contentOf({ type: 'file', payload: JSON.stringify({ fileName: 'quote.pdf', fileSize: 2048 }) })).toEqual({
      kind: 'file',
      fileType: 'file',
      name: 'quote.pdf',
      size: 2048,
      durationMs: null,
      url: 'https://backend.example.com/media/7?file',
    });
    expect(contentOf({ type: 'audio', payload: JSON.stringify({ duration: 60_000, fileSize: '12' }) })).toMatchObject({ fileType: 'audio', durationMs: 60_000, size: null, name: null });
    expect(contentOf({ type: 'video' }, noMedia)).toMatchObject({ kind: 'file', fileType: 'video', url: null });
  });

  it('locations link to a map by coordinates, else by address', () => {
    expect(contentOf({ type: 'location', payload: JSON.stringify({ title: 'Tower', address: 'Shibakoen', latitude: 35.6586, longitude: 139.7454 }) })).toEqual({
      kind: 'location',
      title: 'Tower',
      address: 'Shibakoen',
      mapUrl: 'https://www.google.com/maps/search/?api=1&query=35.6586%2C139.7454',
    });
    expect(contentOf({ type: 'location', payload: JSON.stringify({ address: '東京都港区' }) })).toMatchObject({
      title: null,
      mapUrl: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent('東京都港区')}`,
    });
  });

  it('other types show their alt text, else their text, else their type', () => {
    expect(contentOf({ type: 'flex', payload: JSON.stringify({ altText: 'Your order' }) })).toEqual({ kind: 'alt', messageType: 'flex', text: 'Your order' });
    expect(contentOf({ type: 'template', text: 'stored summary', payload: JSON.stringify({ altText: 'alt' }) })).toEqual({ kind: 'alt', messageType: 'template', text: 'stored summary' });
    expect(contentOf({ type: 'imagemap' })).toEqual({ kind: 'alt', messageType: 'imagemap', text: 'imagemap' });
  });
});

describe('message view state', () => {
  const outbound = (o: Record<string, unknown>) => messageView(row({ direction: 'outbound', sent_by: 'user:77', status: 'sent', ...o }), stored, NOW);

  it('names who sent each message: the customer by LINE name, a rep by HubSpot name, else the stored email', () => {
    const names = { customer: 'Hanako', user: (id: number) => (id === 77 ? 'Aiko Sato' : null) };
    expect(messageView(row({}), stored, NOW).sender).toEqual({ kind: 'customer', name: null });
    expect(messageView(row({}), stored, NOW, names).sender).toEqual({ kind: 'customer', name: 'Hanako' });
    expect(messageView(row({ direction: 'outbound', sent_by: 'user:77', sender_name: 'aiko@example.com' }), stored, NOW, names).sender).toEqual({ kind: 'user', name: 'Aiko Sato' });
    expect(messageView(row({ direction: 'outbound', sent_by: 'user:78', sender_name: 'ben@example.com' }), stored, NOW, names).sender).toEqual({ kind: 'user', name: 'ben@example.com' });
    expect(outbound({ sender_name: 'agent@example.com' }).sender).toEqual({ kind: 'user', name: 'agent@example.com' });
    expect(outbound({ sent_by: 'workflow:12' }).sender).toEqual({ kind: 'workflow', name: null });
    expect(outbound({ sent_by: null }).sender).toEqual({ kind: 'other', name: null });
  });

  it('lets an agent retry their failed sends and sends interrupted for longer than the stale limit, nothing else', () => {
    expect(outbound({ status: 'failed', error: 'LINE 500' })).toMatchObject({ canRetry: true, error: 'LINE 500' });
    expect(outbound({ status: 'failed', sent_by: 'workflow:12' }).canRetry).toBe(false);
    expect(outbound({ status: 'sent' }).canRetry).toBe(false);
    const touched = NOW - STALE_SENDING_MS;
    expect(outbound({ status: 'sending', created_at: touched - 1, updated_at: touched - 1 }).canRetry).toBe(true);
    expect(outbound({ status: 'sending', created_at: touched, updated_at: touched }).canRetry).toBe(false);
    expect(messageView(row({ status: 'failed' }), stored, NOW).canRetry).toBe(false);
  });

  it('counts the latest of created, updated and unsent as the last change, and keeps missing dates null', () => {
    const view = messageView(row({ created_at: 100, updated_at: 300, unsent_at: 200, sent_at: null, read_at: undefined }), stored, NOW);
    expect(view).toMatchObject({ id: 7, direction: 'inbound', status: 'received', createdAt: 100, updatedAt: 300, sentAt: null, readAt: null, error: null });
    expect(messageView(row({ created_at: 100, updated_at: null, unsent_at: 400, sent_at: '150', read_at: 160 }), stored, NOW)).toMatchObject({ updatedAt: 400, sentAt: 150, readAt: 160 });
  });

  it('reads any stored payload without throwing', () => {
    expect(parsePayload('{"type":"text","text":"hi"}')).toEqual({ type: 'text', text: 'hi' });
    for (const raw of ['not json', 'null', '42', undefined, null, { type: 'text' }]) expect(parsePayload(raw)).toEqual({});
  });
});
