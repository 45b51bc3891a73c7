import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, missingIntegrations } from '../../backend/src/config.ts';
import { DEFAULT_TIMINGS } from '../../backend/src/timings.ts';

const key = Buffer.alloc(32, 7).toString('base64');

describe('configuration', () => {
  it('starts on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      DATABASE_URL: 'sqlite:data/line-for-hubspot.sqlite',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      HUBSPOT_API_BASE_URL: 'https://api.hubapi.com',
      HUBSPOT_APP_BASE_URL: 'https://app.hubspot.com',
      LINE_API_BASE_URL: 'https://api.line.me',
      LINE_DATA_API_BASE_URL: 'https://api-data.line.me',
      LINE_LOGIN_BASE_URL: 'https://access.line.me',
      ROLE: 'all',
    });
    expect(missingIntegrations(config).join('\n')).toMatch(/HUBSPOT_CLIENT_ID/);
  });

  it('lists every invalid value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ENCRYPTION_KEY: 'short', LINE_API_BASE_URL: 'not a url', ROLE: 'both' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'ENCRYPTION_KEY', 'LINE_API_BASE_URL', 'ROLE']) expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('requires an encryption key and a public URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ENCRYPTION_KEY is required[\s\S]*PUBLIC_BASE_URL is required/);
    expect(loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: key, PUBLIC_BASE_URL: 'https://lfh.example.com/' }).PUBLIC_BASE_URL).toBe('https://lfh.example.com');
  });

  it('accepts previous keys for rotation and rejects malformed ones', () => {
    expect(loadConfig({ ENCRYPTION_PREVIOUS_KEYS: `${key}, ${key}` }).ENCRYPTION_PREVIOUS_KEYS).toHaveLength(2);
    expect(() => loadConfig({ ENCRYPTION_PREVIOUS_KEYS: 'nope' })).toThrow(ConfigError);
  });

  it('leases jobs for 60 s unless JOB_LEASE_MS says otherwise, and never for less than a second', () => {
    expect(loadConfig({}).JOB_LEASE_MS).toBe(60_000);
    expect(loadConfig({ JOB_LEASE_MS: '3000' }).JOB_LEASE_MS).toBe(3000);
    expect(() => loadConfig({ JOB_LEASE_MS: '999' })).toThrow(/JOB_LEASE_MS/);
    expect(() => loadConfig({ JOB_LEASE_MS: 'soon' })).toThrow(/JOB_LEASE_MS/);
  });

  it('takes a metrics token of at least 16 characters, or none', () => {
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16) }).METRICS_TOKEN).toBe('a'.repeat(16));
    expect(() => loadConfig({ METRICS_TOKEN: 'a'.repeat(15) })).toThrow(/METRICS_TOKEN/);
  });

  it('carries the production timings, and takes the per-process HubSpot rate limit from the environment', () => {
    const { timings } = loadConfig({});
    expect(timings).toEqual(DEFAULT_TIMINGS);
    expect(timings.hubspot).toMatchObject({ rateLimits: { callsPerWindow: 80, windowMs: 10_000, searchesPerWindow: 4, searchWindowMs: 1_000 }, callTimeoutMs: 30_000, retryAfterScale: 1 });
    expect(timings.line).toMatchObject({ chatCallTimeoutMs: 8_000, replyConfirmTimeoutMs: 4_000, credentialCheckTimeoutMs: 15_000 });
    expect(timings.contacts).toEqual({ searchIndexLagMs: 10_000, searchRecheckMs: 2_500, loginLinkWaitMs: 15_000 });
    expect(timings.line.loginCallTimeoutMs).toBe(8_000);
    expect(timings.jobs).toEqual({ backoffBaseMs: 1_000 });
    const divided = loadConfig({ HUBSPOT_RATE_LIMIT_CALLS: '40', HUBSPOT_RATE_LIMIT_WINDOW_MS: '20000' });
    expect(divided.timings.hubspot.rateLimits).toEqual({ callsPerWindow: 40, windowMs: 20_000, searchesPerWindow: 4, searchWindowMs: 1_000 });
    expect(() => loadConfig({ HUBSPOT_RATE_LIMIT_CALLS: '0' })).toThrow(/HUBSPOT_RATE_LIMIT_CALLS/);
    expect(() => loadConfig({ HUBSPOT_RATE_LIMIT_WINDOW_MS: '10' })).toThrow(/HUBSPOT_RATE_LIMIT_WINDOW_MS/);
  });

  it('knows when HubSpot credentials are configured', () => {
    const config = loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret', HUBSPOT_APP_ID: '123' });
    expect(missingIntegrations(config)).toEqual([]);
  });
});
