// The one-line summary of a LINE message (unanswered-message property, owner task, timeline), without a backend.
import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES, summarizeMessage } from '../../backend/src/conversation/message-summary.ts';

describe('message summary', () => {
  it('gives the text of text messages', () => {
    expect(summarizeMessage({ type: 'text', text: 'こんにちは' })).toBe('こんにちは');
    expect(summarizeMessage({ type: 'textV2', text: 'Hi {user}' })).toBe('Hi {user}');
    expect(summarizeMessage({ type: 'text' })).toBe('');
  });

  it('names the kind of messages without text', () => {
    expect(['sticker', 'image', 'video', 'audio'].map((type) => summarizeMessage({ type }))).toEqual(['[Sticker]', '[Image]', '[Video]', '[Audio]']);
    expect(summarizeMessage({ type: 'file', fileName: '見積書.pdf' })).toBe('[File] 見積書.pdf');
    expect(summarizeMessage({ type: 'file' })).toBe('[File]');
  });

  it('gives a location its title and address, whichever it has', () => {
    expect(summarizeMessage({ type: 'location', title: 'Tokyo Tower', address: '4-2-8 Shibakoen' })).toBe('[Location] Tokyo Tower 4-2-8 Shibakoen');
    expect(summarizeMessage({ type: 'location', address: '4-2-8 Shibakoen' })).toBe('[Location] 4-2-8 Shibakoen');
    expect(summarizeMessage({ type: 'location', latitude: 35.65, longitude: 139.74 })).toBe('[Location]');
  });

  it('uses the alt text of other messages, else their type', () => {
    expect(summarizeMessage({ type: 'flex', altText: 'Your order' })).toBe('Your order');
    expect(summarizeMessage({ type: 'imagemap' })).toBe('[imagemap]');
    expect(summarizeMessage({})).toBe('[message]');
    expect(summarizeMessage({ type: 42, text: 'not a type' })).toBe('[message]');
  });

  it('cuts texts longer than 1,000 characters with an ellipsis, and keeps 1,000 as they are', () => {
    expect(summarizeMessage({ type: 'text', text: 'a'.repeat(1000) })).toBe('a'.repeat(1000));
    const cut = summarizeMessage({ type: 'text', text: 'b'.repeat(5000) });
    expect(cut).toHaveLength(1000);
    expect(cut).toBe(`${'b'.repeat(999)}…`);
  });

  it('knows which message types carry content to download', () => {
    expect([...MEDIA_TYPES].sort()).toEqual(['audio', 'file', 'image', 'video']);
  });
});
