// The settings page's texts in English or Japanese, and how backend errors become messages. Every text
// exists in both languages, nested ones included (job kinds, failure reasons, error codes …), with the same
// parameters, and the Japanese ones are written in Japanese. The card's texts and the top level are also
// checked in test/contracts/ui-clients.test.ts.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/app/settings/api/loadable.ts';
import { messagesFor } from '../../src/app/settings/i18n.ts';

const en = messagesFor('en-US');
const ja = messagesFor('ja-JP');

type Texts = Record<string, unknown>;

/** Every text by its dotted path; a text with values is called with sample ones. */
function flatten(texts: Texts, prefix = ''): Map<string, { value: unknown; rendered: string }> {
  const out = new Map<string, { value: unknown; rendered: string }>();
  for (const [key, value] of Object.entries(texts)) {
    const path = prefix + key;
    if (typeof value === 'object' && value !== null) {
      for (const [inner, text] of flatten(value as Texts, `${path}.`)) out.set(inner, text);
    } else {
      const rendered = typeof value === 'function' ? String(value(...Array.from({ length: value.length }, (_, i) => (i === 0 ? 3 : 'X')))) : String(value);
      out.set(path, { value, rendered });
    }
  }
  return out;
}

/** Texts that are the same word in Japanese (product terms, code samples). */
const SAME_IN_JAPANESE = new Set(['sectionWebhook', 'webhookState', 'webhookUrl', 'templateJsonPlaceholder']);
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('settings texts', () => {
  it('speaks Japanese to ja locales and English to every other', () => {
    expect(messagesFor('JA-jp')).toBe(ja);
    for (const locale of ['en', 'th-TH', undefined]) expect(messagesFor(locale)).toBe(en);
    expect(ja.title).not.toBe(en.title);
  });

  it('has every text in both languages, nested ones included, with the same parameters', () => {
    const [english, japanese] = [flatten(en), flatten(ja)];
    expect([...japanese.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [path, { value }] of english) {
      const other = japanese.get(path)!.value;
      expect(typeof other, path).toBe(typeof value);
      if (typeof value === 'function') expect((other as () => string).length, path).toBe(value.length);
    }
  });

  it('writes the Japanese texts in Japanese', () => {
    const untranslated = [...flatten(ja)].filter(([path, { rendered }]) => !SAME_IN_JAPANESE.has(path) && !JAPANESE.test(rendered)).map(([path]) => path);
    expect(untranslated).toEqual([]);
  });

  it('fills in the values of texts that take them', () => {
    expect(en.quotaLeft(1500, 10000)).toBe('1,500 of 10,000');
    expect(ja.quotaLeft(1500, 10000)).toBe('残り 1,500 通（上限 10,000 通）');
    expect(en.webhookTestFailed('timeout', 0)).toBe("LINE's webhook test failed: timeout.");
    expect(en.webhookTestFailed('bad status', 500)).toBe("LINE's webhook test failed: bad status (HTTP 500).");
    expect(en.jobKinds.inbound_messages(3)).toBe('3 messages could not be written to HubSpot');
    expect(en.jobKinds.inbound_messages(1)).toBe('1 message could not be written to HubSpot');
    expect(ja.jobKinds.inbound_messages(3)).toBe('3件のメッセージを HubSpot に書き込めませんでした');
    expect(en.retried(1)).toBe('1 job queued again.');
    expect(ja.connected('東京店')).toContain('東京店');
  });

  it('turns known backend error codes into its own message and shows the backend\'s text for the rest', () => {
    expect(errorText(en, { code: 'line_unavailable', message: 'LINE said 503' })).toBe(en.errors.line_unavailable);
    expect(errorText(ja, { code: 'line_unavailable' })).toBe(ja.errors.line_unavailable);
    expect(errorText(ja, { code: 'retry_needs_line_token' })).toBe(ja.errors.retry_needs_line_token);
    expect(errorText(en, { code: 'something_new', message: 'Backend explains' })).toBe('Backend explains');
    expect(errorText(en, new Error('socket hang up'))).toBe('socket hang up');
    expect(errorText(en, 'plain')).toBe('plain');
    expect(errorText(en, null)).toBe('null');
  });
});
