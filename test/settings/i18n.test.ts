// The settings page's texts in English or Japanese, and how backend errors become messages. That both
// languages have every text with the same parameters is checked for the settings page and the card alike
// in test/contracts/ui-clients.test.ts.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/app/settings/api/loadable.ts';
import { messagesFor } from '../../src/app/settings/i18n.ts';

const en = messagesFor('en-US');
const ja = messagesFor('ja-JP');

describe('settings texts', () => {
  it('speaks Japanese to ja locales and English to every other', () => {
    expect(messagesFor('JA-jp')).toBe(ja);
    for (const locale of ['en', 'th-TH', undefined]) expect(messagesFor(locale)).toBe(en);
    expect(ja.title).not.toBe(en.title);
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
