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

  it('reads times relative, "38 min ago" / 「38分前」, then yesterday, then the date', () => {
    const now = new Date(2026, 2, 14, 18, 0).getTime();
    const [en, ja] = [translator('en-US', () => now), translator('ja-JP', () => now)];
    const moments = [now - 20_000, now - 38 * 60_000, now - 60 * 60_000, now - 5 * 60 * 60_000, new Date(2026, 2, 13, 23, 0).getTime(), new Date(2026, 2, 10, 9, 0).getTime(), new Date(2025, 11, 31, 9, 0).getTime()];
    expect(moments.map(en.ago)).toEqual(['just now', '38 min ago', '1 hour ago', '5 hours ago', 'Yesterday', 'Mar 10', 'Dec 31, 2025']);
    expect(moments.map(ja.ago)).toEqual(['たった今', '38分前', '1時間前', '5時間前', '昨日', '3月10日', '2025年12月31日']);
  });

  it('gives the absolute time without a leading zero: the clock for today, the date before it otherwise', () => {
    const now = new Date(2026, 2, 14, 18, 0).getTime();
    const [en, ja] = [translator('en-US', () => now), translator('ja-JP', () => now)];
    const [today, earlier, lastYear] = [new Date(2026, 2, 14, 13, 11).getTime(), new Date(2026, 2, 10, 9, 5).getTime(), new Date(2025, 11, 31, 23, 30).getTime()];
    expect([today, earlier, lastYear].map(en.at)).toEqual([expect.stringMatching(/^1:11\sPM$/), expect.stringMatching(/^Mar 10, 9:05\sAM$/), expect.stringMatching(/^Dec 31, 2025, 11:30\sPM$/)]);
    expect([today, earlier, lastYear].map(ja.at)).toEqual(['13:11', '3月10日 9:05', '2025年12月31日 23:30']);
    expect(en.clock(earlier)).toMatch(/^9:05\sAM$/);
  });

  it('names the days of the chat\'s separators: today, yesterday, else the weekday and date', () => {
    const now = new Date(2026, 2, 14, 0, 30).getTime();
    const [en, ja] = [translator('en-US', () => now), translator('ja-JP', () => now)];
    const days = [now - 60_000, new Date(2026, 2, 13, 23, 50).getTime(), new Date(2026, 2, 10, 12, 0).getTime(), new Date(2025, 11, 31, 12, 0).getTime()];
    expect(days.map(en.day)).toEqual(['Today', 'Yesterday', 'Tue, Mar 10', 'Wed, Dec 31, 2025']);
    expect(days.map(ja.day)).toEqual(['今日', '昨日', '3月10日(火)', '2025年12月31日(水)']);
  });

  it('falls back to English formats for a locale the runtime does not know', () => {
    const now = new Date(2026, 2, 14, 18, 0).getTime();
    expect(translator('not a locale!', () => now).at(new Date(2025, 0, 2, 8, 0).getTime())).toMatch(/^Jan 2, 2025, 8:00\sAM$/);
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

  it('says every Japanese text in Japanese: no English left in the ja dictionary', () => {
    const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
    // Texts that are figures or names in every language.
    const SAME_IN_EVERY_LANGUAGE = ['counter'];
    const { errors, ...texts } = messagesFor('ja-JP');
    const sample = (value: unknown) => (typeof value === 'function' ? (value as (...args: unknown[]) => string)(...Array.from({ length: value.length }, (_, i) => (i === 0 ? 'Sato' : 2))) : value);
    for (const [key, value] of Object.entries(texts)) {
      if (SAME_IN_EVERY_LANGUAGE.includes(key)) continue;
      expect(sample(value), key).toMatch(JAPANESE);
    }
    for (const [code, text] of Object.entries(errors)) expect(text, code).toMatch(JAPANESE);
  });

  it('words the chat panel as LINE and a Japanese support desk do', () => {
    const [en, ja] = [messagesFor('en-US'), messagesFor('ja-JP')];
    expect([en.unsent, ja.unsent]).toEqual(['The customer unsent this message.', '送信者がメッセージの送信を取り消しました']);
    expect(ja.waitingForReply('12:30', '38分前')).toBe('12:30 から返信待ち（38分前）');
    expect(ja.chatBlockedTitle).toContain('公式アカウントをブロック');
    expect([en.savedTexts, ja.savedTexts]).toEqual(['Saved texts', '定型文']);
  });
});
