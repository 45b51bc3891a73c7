import { afterEach, describe, expect, it } from 'vitest';
import { api, apiError, setup } from './test-helpers.ts';
import type { Setup } from './test-helpers.ts';

let s: Setup | undefined;
afterEach(async () => {
  await s?.hs.close();
  s = undefined;
});

const search = { filterGroups: [], sorts: [], properties: ['email'], limit: 1, after: '0' };

describe('rate limits', () => {
  it('answers 429 TEN_SECONDLY_ROLLING with Retry-After, per portal, and recovers after the window', async () => {
    s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG, rateLimit: { max: 5, windowMs: 10_000 } });
    for (let i = 0; i < 5; i++) {
      const ok = await api(s.hs, s.token, 'GET', '/crm/v3/owners');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(4 - i));
    }
    const limited = await api(s.hs, s.token, 'GET', '/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(limited.body.groupName).toContain(String(s.portal.portalId));
    const err = await apiError(() => s!.client.crm.contacts.basicApi.getPage());
    expect(err.code).toBe(429);
    const other = s.hs.createPortal();
    expect((await api(s.hs, s.hs.issueTokens(other.portalId).accessToken, 'GET', '/crm/v3/owners')).status).toBe(200);
    s.hs.clock.advance(10_001);
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/owners')).status).toBe(200);
  });

  it('limits search to a few requests per second (SECONDLY) and has an optional DAILY limit', async () => {
    s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG, dailyLimit: 8 });
    for (let i = 0; i < 5; i++) expect((await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/search', search)).status).toBe(200);
    const limited = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/search', search);
    expect(limited.status).toBe(429);
    expect(limited.body.policyName).toBe('SECONDLY');
    s.hs.clock.advance(1000);
    expect((await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/search', search)).status).toBe(200);
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/owners')).status).toBe(200);
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/owners')).status).toBe(200);
    const daily = await api(s.hs, s.token, 'GET', '/crm/v3/owners');
    expect(daily.status).toBe(429);
    expect(daily.body.policyName).toBe('DAILY');
  });
});

describe('fault injection', () => {
  it('fails a route a given number of times with custom status, headers and body', async () => {
    s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
    s.hs.faults.inject({ method: 'POST', path: '/crm/v3/objects/{objectType}/batch/upsert', status: 503, times: 2 });
    s.hs.faults.inject({ path: /\/crm\/v3\/owners$/, status: 429, headers: { 'Retry-After': '3' }, times: 1 });
    const body = { inputs: [{ id: 'f@example.com', idProperty: 'email', properties: {} }] };
    expect((await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/batch/upsert', body)).status).toBe(503);
    const second = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/batch/upsert', body);
    expect(second.status).toBe(503);
    expect(second.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
    expect((await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/batch/upsert', body)).status).toBe(200);
    const limited = await api(s.hs, s.token, 'GET', '/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/owners')).status).toBe(200);
    expect(s.portal.contacts()).toHaveLength(1);
    expect(s.hs.calls.filter((c) => c.path.endsWith('/batch/upsert')).map((c) => c.status)).toEqual([503, 503, 200]);
    expect(s.hs.calls.every((c) => c.portalId === s!.portal.portalId)).toBe(true);
  });

  it('delays, hangs until the client gives up, targets one portal, and fails a seeded share', async () => {
    s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
    s.hs.faults.inject({ path: '/crm/v3/owners', delayMs: 150, times: 1 });
    const t0 = Date.now();
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/owners')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    s.hs.faults.inject({ path: '/account-info/v3/details', hang: true, times: 1 });
    await expect(
      fetch(`${s.hs.baseUrl}/account-info/v3/details`, { headers: { Authorization: `Bearer ${s.token}` }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    const other = s.hs.createPortal();
    const otherToken = s.hs.issueTokens(other.portalId).accessToken;
    s.hs.faults.inject({ path: '/crm/v3/objects/contacts', status: 500, portalId: other.portalId });
    expect((await api(s.hs, otherToken, 'GET', '/crm/v3/objects/contacts')).status).toBe(500);
    expect((await api(s.hs, s.token, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
    s.hs.faults.clear();
    s.hs.faults.inject({ path: '/crm/v3/objects/companies', status: 502, failRatio: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await api(s.hs, s.token, 'GET', '/crm/v3/objects/companies')).status);
    s.hs.clock.advance(10_000);
    const failed = statuses.filter((x) => x === 502).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });

  it('loses the answer after processing: the object exists though the client saw an error or nothing', async () => {
    s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
    s.hs.faults.inject({ method: 'POST', path: '/crm/v3/objects/tasks', status: 502, afterProcessing: true, times: 1 });
    const task = { properties: { hs_timestamp: '2025-01-01T00:00:00.000Z', hs_task_subject: 'lost answer' }, associations: [] };
    const lost = await api(s.hs, s.token, 'POST', '/crm/v3/objects/tasks', task);
    expect(lost.status).toBe(502);
    expect(lost.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
    expect(lost.headers.get('location')).toBeNull();
    expect(s.portal.tasks().map((t) => t.properties.hs_task_subject)).toEqual(['lost answer']);
    expect(s.hs.calls.filter((c) => c.path === '/crm/v3/objects/tasks').map((c) => c.status)).toEqual([502]);

    s.hs.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', hang: true, afterProcessing: true, times: 1 });
    const body = { inputs: [{ properties: { firstname: 'Hung' }, associations: [] }] };
    await expect(
      fetch(`${s.hs.baseUrl}/crm/v3/objects/contacts/batch/create`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    expect(s.portal.contacts().map((c) => c.properties.firstname)).toEqual(['Hung']);

    expect(() => s!.hs.faults.inject({ path: '/crm/v3/owners', afterProcessing: true, delayMs: 10 })).toThrow(/afterProcessing/);
    const answered = await api(s.hs, s.token, 'POST', '/crm/v3/objects/tasks', task);
    expect(answered.status).toBe(201);
    expect(s.portal.tasks()).toHaveLength(2);
  });

  it('answers without chosen properties, though the objects carry them', async () => {
    s = await setup({ trafficLog: process.env.EMULATOR_TRAFFIC_LOG });
    s.hs.faults.inject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', omitProperties: ['lastname'], times: 1 });
    const body = { inputs: [{ properties: { firstname: 'Ann', lastname: 'Lee' }, associations: [] }] };
    const created = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/batch/create', body);
    expect(created.status).toBe(201);
    expect(created.body.results[0].properties.firstname).toBe('Ann');
    expect(created.body.results[0].properties).not.toHaveProperty('lastname');
    expect(s.portal.contacts()[0].properties.lastname).toBe('Lee');
    const again = await api(s.hs, s.token, 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { firstname: 'Bo', lastname: 'Kim' }, associations: [] }] });
    expect(again.body.results[0].properties.lastname).toBe('Kim');
  });
});
