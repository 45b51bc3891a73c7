// The card's texts, dates and sizes in English or Japanese by the HubSpot user's locale. That both
// languages have every text with the same parameters is checked for the card and the settings page
// alike in test/contracts/ui-clients.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/app/cards/i18n/messages.ts';
import { translator } from '../../src/app/cards/i18n/translator.ts';

describe('card translator', () => {
  it('speaks Japanese to ja locales and English to every other', () => {
    expect(translator('ja-JP').t).toBe(messagesFor('ja'));
    expect(translator('JA').t.retry).toBe('再試行');
    for (const locale of ['en-US', 'th-TH', 'zh-TW', undefined]) expect(translator(locale).t.retry).toBe('Try again');
  });

  it('fills in the values of texts that take them', () => {
    const { t } = translator('en-US');
    expect(t.counter(12, 5000)).toBe('12 / 5000');
    expect(t.chatTitle('Sato')).toBe('LINE chat with Sato');
    expect(translator('ja').t.chatTitle('佐藤')).toBe('佐藤 との LINE チャット');
  });

  it('shows only the time for today and the date with it otherwise', () => {
    const now = new Date(2026, 2, 14, 18, 0).getTime();
    const t = translator('en-US', () => now);
    const today = t.time(new Date(2026, 2, 14, 9, 5).getTime());
    expect(today).toMatch(/09:05/);
    expect(today).not.toMatch(/2026/);
    const earlier = t.time(new Date(2025, 11, 31, 23, 30).getTime());
    expect(earlier).toMatch(/2025/);
    expect(earlier).toMatch(/Dec/);
    expect(translator('ja-JP', () => now).time(new Date(2025, 11, 31, 23, 30).getTime())).toMatch(/2025年12月31日/);
  });

  it('falls back to English formats for a locale the runtime does not know', () => {
    const now = new Date(2026, 2, 14, 18, 0).getTime();
    expect(translator('not a locale!', () => now).time(new Date(2025, 0, 2, 8, 0).getTime())).toMatch(/Jan.*2025/);
  });

  it('sizes files in B, KB or MB', () => {
    const { size } = translator('en-US');
    expect([size(0), size(1023), size(1024), size(1536), size(5 * 1024 * 1024)]).toEqual(['0 B', '1023 B', '1.0 KB', '1.5 KB', '5.0 MB']);
  });

  it('words every error code the chat routes, the signed-request check and the HTTP layer can answer, in both languages', () => {
    const dir = new URL('../../backend/src/chat/', import.meta.url);
    const thrown = readdirSync(dir).flatMap((file) => [...readFileSync(new URL(file, dir), 'utf8').matchAll(/HttpError\(\d+, '([a-z_]+)'/g)].map((m) => m[1]));
    const REFUSALS = ['contact_already_linked', 'line_user_linked_elsewhere'];
    const AROUND_EVERY_ROUTE = ['bad_request', 'malformed_json', 'payload_too_large', 'unauthorized', 'forbidden', 'reinstall_required', 'not_found', 'not_configured', 'internal_error'];
    const CLIENT = ['http_error', 'network_error'];
    for (const locale of ['en-US', 'ja-JP']) {
      const { errors } = messagesFor(locale);
      for (const code of [...thrown, ...REFUSALS, ...AROUND_EVERY_ROUTE, ...CLIENT]) expect(errors[code], `${locale} ${code}`).toBeTruthy();
    }
  });
});
