// The card and the settings page are built by HubSpot one folder at a time and cannot import each other,
// so each holds the same backend client. They must stay one client: same requests, same error type.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('UI backend clients', () => {
  it('the card and the settings page hold the same backend client, byte for byte', () => {
    const card = readFileSync(new URL('../../src/app/cards/api/backend-client.ts', import.meta.url), 'utf8');
    const settings = readFileSync(new URL('../../src/app/settings/api/backend-client.ts', import.meta.url), 'utf8');
    expect(settings).toBe(card);
  });
});
