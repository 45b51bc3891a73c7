// The scopes the backend asks for must be exactly those of the app definition HubSpot holds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../backend/src/install/scopes.ts';

const app = JSON.parse(readFileSync(new URL('../../src/app/app-hsmeta.json', import.meta.url), 'utf8'));

describe('install scopes', () => {
  it('equal auth.requiredScopes and auth.optionalScopes of src/app/app-hsmeta.json', () => {
    expect([...REQUIRED_SCOPES].sort()).toEqual([...app.config.auth.requiredScopes].sort());
    expect([...OPTIONAL_SCOPES].sort()).toEqual([...app.config.auth.optionalScopes].sort());
  });

  it('the redirect URL of the app definition is the backend callback', () => {
    expect(app.config.auth.redirectUrls).toContain('${BACKEND_URL}/oauth/callback');
  });
});
