// The card and the settings page are built by HubSpot one folder at a time and cannot import each other,
// so each holds the same backend client and the same loading/error shape (api/loadable.ts). They must stay
// one client: same requests, same error type, same states; and they word their texts the same way: a typed
// object per language, chosen by messagesFor(locale), texts with values as functions, and the error codes
// each one words itself under `errors`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messagesFor as cardMessagesFor } from '../../src/app/cards/i18n/messages.ts';
import { messagesFor as settingsMessagesFor } from '../../src/app/settings/i18n.ts';

const source = (path: string) => readFileSync(new URL(`../../src/app/${path}`, import.meta.url), 'utf8');

describe('UI backend clients', () => {
  it.each(['api/backend-client.ts', 'api/loadable.ts'])('the card and the settings page hold the same %s, byte for byte', (file) => {
    expect(source(`settings/${file}`)).toBe(source(`cards/${file}`));
  });
});

describe.each([
  ['card', cardMessagesFor],
  ['settings page', settingsMessagesFor],
] as const)('the %s texts', (_, messagesFor) => {
  const [en, ja] = [messagesFor('en-US'), messagesFor('ja-JP')] as Array<Record<string, unknown>>;

  it('are Japanese for ja locales and English for every other', () => {
    expect(messagesFor('JA')).toBe(ja);
    for (const locale of ['en', 'th-TH', 'zh-TW', undefined]) expect(messagesFor(locale)).toBe(en);
  });

  it('are all there in both languages, texts with values taking the same parameters', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      const [english, japanese] = [en[key], ja[key]];
      expect(typeof japanese, key).toBe(typeof english);
      if (typeof english === 'string') expect((japanese as string).trim(), key).not.toBe('');
      if (typeof english === 'function') expect((japanese as (...a: never[]) => string).length, key).toBe(english.length);
    }
  });

  it('word the same backend error codes in both languages', () => {
    const [enErrors, jaErrors] = [en.errors, ja.errors] as Array<Record<string, string>>;
    expect(Object.keys(jaErrors).sort()).toEqual(Object.keys(enErrors).sort());
  });
});
