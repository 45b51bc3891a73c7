// The settings page's texts in English or Japanese, and how backend errors become messages.
import { describe, expect, it } from 'vitest';
import { errorText, messagesFor, type Messages } from '../../src/app/settings/i18n.ts';

const en = messagesFor('en-US');
const ja = messagesFor('ja-JP');

describe('settings texts', () => {
  it('speaks Japanese to ja locales and English to every other', () => {
    expect(messagesFor('JA-jp')).toBe(ja);
    for (const locale of ['en', 'th-TH', undefined]) expect(messagesFor(locale)).toBe(en);
    expect(ja.title).not.toBe(en.title);
  });

  it('has every text and error in both languages, with the same parameters', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(ja.errors).sort()).toEqual(Object.keys(en.errors).sort());
    for (const key of Object.keys(en) as Array<keyof Messages>) {
      const [english, japanese] = [en[key], ja[key]];
      expect(typeof japanese, key).toBe(typeof english);
      if (typeof english === 'function') expect((japanese as (...a: never[]) => string).length, key).toBe(english.length);
    }
  });

  it('fills in the values of texts that take them', () => {
    expect(en.connected('Shop Tokyo')).toBe('Shop Tokyo is connected.');
    expect(en.quotaLeft(1500, 10000)).toBe('1,500 of 10,000');
    expect(en.webhookTestFailed('timeout', 0)).toBe("LINE's webhook test failed: timeout.");
    expect(en.webhookTestFailed('bad status', 500)).toBe("LINE's webhook test failed: bad status (HTTP 500).");
    expect(ja.connected('東京店')).toContain('東京店');
  });

  it('turns known backend error codes into its own message and shows the backend\'s text for the rest', () => {
    expect(errorText(en, { code: 'line_unavailable', message: 'LINE said 503' })).toBe(en.errors.line_unavailable);
    expect(errorText(ja, { code: 'line_unavailable' })).toBe(ja.errors.line_unavailable);
    expect(errorText(en, { code: 'something_new', message: 'Backend explains' })).toBe('Backend explains');
    expect(errorText(en, new Error('socket hang up'))).toBe('socket hang up');
    expect(errorText(en, 'plain')).toBe('plain');
    expect(errorText(en, null)).toBe('null');
  });
});
