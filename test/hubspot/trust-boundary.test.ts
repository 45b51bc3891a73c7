// The requests an attacker in one portal can make against another portal's data, each refused with nothing
// changed. Any HubSpot user of any installed portal can make a signed hubspot.fetch call (the same client
// secret signs hubspot.fetch calls, webhook deliveries and workflow executions), with any body and any query
// in front of the identity HubSpot appends. The victim's data is made the way production makes it: a LINE
// user follows and writes, the worker links a contact and logs the message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkGroup } from '../../backend/src/groups/groups.ts';
import { signV2, signV3 } from '../emulators/hubspot/index.ts';
import { installPortal } from '../support/installed-portal.ts';
import { startInboundWorld, type InboundWorld } from '../support/inbound-world.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';

describe.each(engines())('trust boundary between portals on %s', (engine) => {
  let database: TestDatabase;
  let world: InboundWorld;
  let victim: number;
  let attacker: number;
  let victimContactId: number;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await startInboundWorld({ databaseUrl: database.url });
    victim = world.portal.portalId;
    attacker = (await installPortal(world.ctx, world.hubspot)).portalId;
    const user = world.line.createUser({ displayName: 'Victim Customer' });
    await world.line.follow(world.account.channel.channelId, user.userId);
    await world.line.sendText(world.account.channel.channelId, user.userId, 'my order number is 1234');
    await world.idle();
    const link = await world.ctx.db('line_links').where({ portal_id: victim }).first();
    victimContactId = Number(link.contact_id);
    expect(victimContactId).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  const url = (path: string) => `${world.backend.url}${path}`;

  /** Everything stored about the victim portal, to compare before and after an attack. */
  async function victimRows() {
    const db = world.ctx.db;
    const rows = async (table: string) => db(table).where({ portal_id: victim }).orderBy('id').select();
    return {
      portal: await db('portals').where({ portal_id: victim }).first('status', 'access_token', 'updated_at'),
      accounts: await rows('line_accounts'),
      links: await rows('line_links'),
      messages: await rows('messages'),
      groups: await rows('line_groups'),
      groupMessages: await rows('group_messages'),
      jobs: (await db('jobs').where({ portal_id: victim }).count({ n: '*' }).first())?.n,
    };
  }

  /** A request signed with HubSpot's secret for exactly this URL and body, as HubSpot would sign it. */
  function signed(target: string, o: { method?: string; body?: string; contentType?: string; timestamp?: number; version?: 'v3' | 'v2' | 'empty-v3' } = {}) {
    const method = o.method ?? (o.body === undefined ? 'GET' : 'POST');
    const body = o.body ?? '';
    const timestamp = o.timestamp ?? Date.now();
    const secret = world.hubspot.clientSecret;
    const headers: Record<string, string> = {};
    if (o.body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    if (o.version === 'v2' || o.version === 'empty-v3') {
      headers['X-HubSpot-Signature'] = signV2(secret, method, target, body);
      headers['X-HubSpot-Signature-Version'] = 'v2';
    }
    if (o.version === 'empty-v3') {
      headers['X-HubSpot-Signature-v3'] = '';
      headers['X-HubSpot-Request-Timestamp'] = String(timestamp);
    }
    if (!o.version || o.version === 'v3') {
      headers['X-HubSpot-Signature-v3'] = signV3(secret, method, target, body, timestamp);
      headers['X-HubSpot-Request-Timestamp'] = String(timestamp);
    }
    return fetch(target, { method, headers, body: o.body });
  }

  const deletionOfVictimContact = () => [
    { eventId: 777_001, subscriptionId: 1, portalId: victim, appId: world.hubspot.appId, occurredAt: Date.now(), subscriptionType: 'contact.privacyDeletion', attemptNumber: 0, objectId: victimContactId },
    { eventId: 777_002, subscriptionId: 1, portalId: victim, appId: world.hubspot.appId, occurredAt: Date.now(), subscriptionType: 'contact.deletion', attemptNumber: 0, objectId: victimContactId },
  ];

  it('a hubspot.fetch call to the webhook route (as the old permittedUrls allowed) is refused and queues nothing', async () => {
    const before = await victimRows();
    world.hubspot.permitFetchUrls([world.backend.url]);
    try {
      const res = await world.hubspot.hubspotFetch(url('/hubspot/webhooks'), { portalId: attacker, method: 'POST', body: deletionOfVictimContact() as unknown as object });
      expect(res.status).toBe(403);
    } finally {
      world.hubspot.permitFetchUrls([url('/api/')]);
    }
    await world.idle();
    expect(Number((await world.ctx.db('jobs').where({ type: 'hubspot.webhook-event' }).count({ n: '*' }).first())?.n)).toBe(0);
    expect(await victimRows()).toEqual(before);
  });

  it('the company card\'s routes reach only the caller\'s portal: another portal\'s company, account or group reads nothing, links, unlinks and sends nothing', async () => {
    const channelId = world.account.channel.channelId;
    const member = world.line.createUser({ displayName: 'Victim Member' });
    const group = world.line.createGroup({ groupName: 'Victim Group', memberUserIds: [member.userId] });
    await world.line.joinGroup(channelId, group.groupId);
    await world.line.sendText(channelId, member.userId, 'our price list', { groupId: group.groupId });
    await world.idle();
    const company = Number(world.portal.createObject('companies', { name: 'Victim Co' }).id);
    const key = { portalId: victim, accountId: world.account.id, groupId: group.groupId };
    expect(await linkGroup(world.ctx, key, company, 'card')).toBe('linked');
    const before = await victimRows();
    const as = (path: string, body?: object) => world.hubspot.hubspotFetch(url(path), { portalId: attacker, method: body ? 'POST' : 'GET', body });

    const status = await as(`/api/companies/${company}/line`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ companyId: company, accounts: [] });
    for (const path of [`/api/companies/${company}/messages?accountId=${world.account.id}`, `/api/companies/${company}/messages/updates?accountId=${world.account.id}&waitMs=0`]) {
      const res = await as(path);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(await res.json())).not.toContain('price list');
    }
    expect((await as(`/api/companies/${company}/messages`, { accountId: world.account.id, clientMessageId: crypto.randomUUID(), text: 'spam' })).status).toBe(404);
    expect((await as(`/api/companies/${company}/messages/1/retry`, { accountId: world.account.id })).status).toBe(404);
    expect((await as(`/api/companies/${company}/line/${world.account.id}/unlink`, {})).status).toBe(404);
    expect((await as(`/api/companies/${company + 1}/line/${world.account.id}/link`, { groupId: group.groupId })).status).toBe(404);
    // The victim's own other company cannot take or read the group either (one group, one company).
    const otherCompany = Number(world.portal.createObject('companies', { name: 'Other Co' }).id);
    const steal = await world.hubspot.hubspotFetch(url(`/api/companies/${otherCompany}/line/${world.account.id}/link`), { portalId: victim, method: 'POST', body: { groupId: group.groupId } });
    expect(steal.status).toBe(409);
    expect((await world.hubspot.hubspotFetch(url(`/api/companies/${otherCompany}/messages?accountId=${world.account.id}`), { portalId: victim })).status).toBe(409);
    await world.idle();
    expect(world.line.received(channelId, group.groupId)).toEqual([]);
    expect(await victimRows()).toEqual(before);
  });

  it('with the app\'s permittedUrls (only /api/), HubSpot does not even make that call', async () => {
    await expect(world.hubspot.hubspotFetch(url('/hubspot/webhooks'), { portalId: attacker, method: 'POST', body: {} })).rejects.toThrow(/permittedUrls/);
    // A path that only looks like /api/ before `..` is resolved is judged by where it really goes.
    await expect(world.hubspot.hubspotFetch(`${url('/api/')}../hubspot/webhooks`, { portalId: attacker, method: 'POST', body: {} })).rejects.toThrow(/permittedUrls/);
  });

  it('a webhook delivery with any query string, or without a v3 signature, is refused', async () => {
    const before = await victimRows();
    const body = JSON.stringify(deletionOfVictimContact());
    expect((await signed(url(`/hubspot/webhooks?portalId=${attacker}`), { body })).status).toBe(403);
    expect((await signed(url('/hubspot/webhooks?'), { body })).status).toBe(403);
    expect((await signed(url('/hubspot/webhooks'), { body, version: 'v2' })).status).toBe(401);
    expect((await signed(url('/hubspot/webhooks'), { body, version: 'empty-v3' })).status).toBe(401);
    expect((await signed(url('/hubspot/webhooks'), { body, timestamp: Date.now() + 60_000 })).status).toBe(401);
    await world.idle();
    expect(await victimRows()).toEqual(before);
  });

  it('naming the victim portal in front of the identity HubSpot appends (?portalId=B&portalId=A) reads nothing and disconnects nothing', async () => {
    const before = await victimRows();
    const read = await world.hubspot.hubspotFetch(url(`/api/portal?portalId=${victim}`), { portalId: attacker });
    expect(read.status).toBe(401);
    expect(JSON.stringify(await read.json())).not.toContain(String(victim));
    const accounts = await world.hubspot.hubspotFetch(url(`/api/accounts?portalId=${victim}`), { portalId: attacker });
    expect(accounts.status).toBe(401);
    const disconnect = await world.hubspot.hubspotFetch(url(`/api/portal/disconnect?portalId=${victim}`), { portalId: attacker, method: 'POST', body: { confirm: true } });
    expect(disconnect.status).toBe(401);
    for (const name of ['userId', 'userEmail', 'appId']) {
      const res = await world.hubspot.hubspotFetch(url(`/api/portal?${name}=1`), { portalId: attacker });
      expect(res.status, name).toBe(401);
    }
    expect(await victimRows()).toEqual(before);
  });

  it('identity parameters that are not one plain decimal id are refused, however they are signed', async () => {
    const before = await victimRows();
    const hex = `0x${victim.toString(16)}`;
    for (const portalId of [hex, `${victim / 1000}e3`, `+${victim}`, ` ${victim}`, `0${victim}`, `${victim}.0`, '']) {
      const target = url(`/api/portal?portalId=${encodeURIComponent(portalId)}&userId=1&appId=${world.hubspot.appId}`);
      expect((await signed(target)).status, portalId).toBe(401);
    }
    const badUser = url(`/api/portal?portalId=${attacker}&userId=0x1&appId=${world.hubspot.appId}`);
    expect((await signed(badUser)).status).toBe(401);
    const plain = url(`/api/portal?portalId=${attacker}&userId=1&appId=${world.hubspot.appId}`);
    expect((await signed(plain)).status).toBe(200);
    expect(await victimRows()).toEqual(before);
  });

  it('/api requires v3: a v2-only, empty-v3 or future-dated request answers 401', async () => {
    const target = url(`/api/portal?portalId=${attacker}&userId=1&appId=${world.hubspot.appId}`);
    expect((await signed(target, { version: 'v2' })).status).toBe(401);
    expect((await signed(target, { version: 'empty-v3' })).status).toBe(401);
    expect((await signed(target, { timestamp: Date.now() + 60_000 })).status).toBe(401);
    const emulated = await world.hubspot.hubspotFetch(url('/api/portal'), { portalId: attacker, signatureVersion: 'v2' });
    expect(emulated.status).toBe(401);
  });

  it('a body that is not JSON answers 415 before anything else (the signature would not cover a parsed form)', async () => {
    const portalsBefore = await world.ctx.db('portals').count({ n: '*' }).first();
    const disconnect = url(`/api/portal/disconnect?portalId=${attacker}&userId=1&appId=${world.hubspot.appId}`);
    const form = await signed(disconnect, { body: 'confirm=true', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await form.json()).error.code).toBe('unsupported_media_type');
    const text = await signed(disconnect, { body: '{"confirm":true}', contentType: 'text/plain' });
    expect(text.status).toBe(415);
    const hook = await signed(url('/hubspot/webhooks'), { body: 'x=1', contentType: 'application/x-www-form-urlencoded' });
    expect(hook.status).toBe(415);
    expect(await world.ctx.db('portals').count({ n: '*' }).first()).toEqual(portalsBefore);
    expect(await world.ctx.db('portals').where({ portal_id: attacker }).first('status')).toEqual({ status: 'installed' });
  });
});
