// POST /hubspot/webhooks: HubSpot's deliveries (sent and signed by the emulator) keep line_links right.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLinePropertyName } from '../../backend/src/accounts/property-names.ts';
import { hubspotWebhookEventJob } from '../../backend/src/hubspot-webhooks/apply-event.ts';
import { HANDLED_SUBSCRIPTIONS } from '../../backend/src/hubspot-webhooks/events.ts';
import { signV3, type WebhookEventInput } from '../emulators/hubspot/index.ts';
import { engines } from '../support/databases.ts';
import { insertLineAccount, insertLink, insertMessage, installThroughBrowser, jobsSettled, lineUserId, startWorld, type World } from '../install/harness.ts';

describe.each(engines())('HubSpot webhooks on %s', (engine) => {
  let world: World;
  let portalA: number;
  let portalB: number;
  let accountA1: number;
  let accountA2: number;
  let accountB1: number;
  let contact = 5000;
  const nextContact = () => ++contact;
  let eventId = 1;
  beforeAll(async () => {
    world = await startWorld(engine);
    portalA = world.hubspot.createPortal().portalId;
    portalB = world.hubspot.createPortal().portalId;
    await installThroughBrowser(world, portalA);
    await installThroughBrowser(world, portalB);
    accountA1 = await insertLineAccount(world.ctx, portalA, 1);
    accountA2 = await insertLineAccount(world.ctx, portalA, 2);
    accountB1 = await insertLineAccount(world.ctx, portalB, 1);
  });
  afterAll(async () => {
    await world?.close();
  });

  const target = () => `${world.backend.url}/hubspot/webhooks`;
  async function deliver(events: WebhookEventInput[]) {
    const sent = await world.hubspot.sendWebhooks(target(), events.map((e) => ({ eventId: eventId++, ...e })));
    expect(sent.status).toBe(204);
    await jobsSettled(world.ctx, hubspotWebhookEventJob.type);
    return sent;
  }
  const link = (accountId: number, userId: string) => world.ctx.db('line_links').where({ line_account_id: accountId, line_user_id: userId }).first();
  const jobCount = async () => Number((await world.ctx.db('jobs').where({ type: hubspotWebhookEventJob.type }).count({ n: '*' }).first())?.n);

  it('refuses unsigned deliveries (401) and bodies that are not arrays of events (400), queuing nothing', async () => {
    const before = await jobCount();
    const body = JSON.stringify([{ eventId: 1, portalId: portalA, objectId: 1, occurredAt: Date.now(), subscriptionType: 'contact.deletion' }]);
    const unsigned = await fetch(target(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);

    const signed = (payload: string) => {
      const ts = Date.now();
      return fetch(target(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-HubSpot-Request-Timestamp': String(ts), 'X-HubSpot-Signature-v3': signV3(world.hubspot.clientSecret, 'POST', target(), payload, ts) },
        body: payload,
      });
    };
    const notArray = await signed(JSON.stringify({ events: [] }));
    expect(notArray.status).toBe(400);
    expect((await notArray.json()).error.code).toBe('bad_request');
    const badEvent = await signed(JSON.stringify([{ eventId: 'x', portalId: portalA }]));
    expect(badEvent.status).toBe(400);
    expect(await jobCount()).toBe(before);
  });

  it('contact.deletion unlinks the LINE users of that contact, in that portal only', async () => {
    const contactId = nextContact();
    const userA = lineUserId();
    const userB = lineUserId();
    await insertLink(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: userA, contactId });
    await insertLink(world.ctx, { portalId: portalB, accountId: accountB1, lineUserId: userB, contactId });
    await deliver([{ subscriptionType: 'contact.deletion', portalId: portalA, objectId: contactId }]);
    expect(await link(accountA1, userA)).toMatchObject({ contact_id: null, linked_via: null, linked_at: null });
    expect(Number((await link(accountB1, userB)).contact_id)).toBe(contactId);
  });

  it('contact.merge moves the links of the merged contacts to the contact that remains', async () => {
    const primary = nextContact();
    const merged = nextContact();
    const [u1, u2] = [lineUserId(), lineUserId()];
    await insertLink(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: u1, contactId: primary });
    await insertLink(world.ctx, { portalId: portalA, accountId: accountA2, lineUserId: u2, contactId: merged });
    await deliver([{ subscriptionType: 'contact.merge', portalId: portalA, objectId: primary, primaryObjectId: primary, mergedObjectIds: [merged] }]);
    expect(Number((await link(accountA1, u1)).contact_id)).toBe(primary);
    expect(Number((await link(accountA2, u2)).contact_id)).toBe(primary);

    // Newer merges create a new record: everything moves to newObjectId.
    const created = nextContact();
    await deliver([{ subscriptionType: 'contact.merge', portalId: portalA, objectId: primary, primaryObjectId: primary, mergedObjectIds: [merged], newObjectId: created }]);
    expect(Number((await link(accountA1, u1)).contact_id)).toBe(created);
    expect(Number((await link(accountA2, u2)).contact_id)).toBe(created);
  });

  it('contact.privacyDeletion deletes everything stored about the contact\'s LINE users, and nothing else', async () => {
    const contactId = nextContact();
    const gone = lineUserId();
    const kept = lineUserId();
    const goneLink = await insertLink(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: gone, contactId });
    await insertLink(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: kept, contactId: nextContact() });
    const goneMessage = await insertMessage(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: gone, text: 'my address is …' });
    await insertMessage(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: kept, text: 'hello' });
    const now = Date.now();
    await world.ctx.db('media').insert({ message_id: goneMessage, portal_id: portalA, status: 'stored', content_type: 'image/jpeg', size: 3, bytes: Buffer.from('abc'), created_at: now });
    await world.ctx.db('conversations').insert({ link_id: goneLink, portal_id: portalA, unanswered: true, unanswered_message: 'my address is …', updated_at: now });
    await world.ctx.db('inbound_events').insert({ webhook_event_id: `01TEST${now}`, portal_id: portalA, line_account_id: accountA1, type: 'message', line_user_id: gone, payload: '{}', event_timestamp: now, received_at: now });
    await world.ctx.db('line_reply_tokens').insert({ line_account_id: accountA1, line_user_id: gone, reply_token: 'r', expires_at: now + 60_000 });

    await deliver([{ subscriptionType: 'contact.privacyDeletion', portalId: portalA, objectId: contactId }]);
    for (const table of ['line_links', 'messages', 'inbound_events', 'line_reply_tokens']) {
      expect(await world.ctx.db(table).where({ line_user_id: gone }).first(), table).toBeUndefined();
    }
    expect(await world.ctx.db('media').where({ message_id: goneMessage }).first()).toBeUndefined();
    expect(await world.ctx.db('conversations').where({ link_id: goneLink }).first()).toBeUndefined();
    expect(await link(accountA1, kept)).toBeDefined();
    expect(await world.ctx.db('messages').where({ line_user_id: kept }).first()).toBeDefined();
  });

  it('setting line_user_id / line_user_id_N on a contact links that LINE user of that account; emptying it unlinks', async () => {
    const contactId = nextContact();
    const user = lineUserId();
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_2', propertyValue: user }]);
    const created = await link(accountA2, user);
    expect(created).toMatchObject({ portal_id: portalA, linked_via: 'hubspot_property', follow_status: 'unknown' });
    expect(Number(created.contact_id)).toBe(contactId);
    expect(await link(accountA1, user)).toBeUndefined();

    // Our own write of the same value comes back: nothing changes.
    await world.ctx.db('line_links').where({ id: created.id }).update({ linked_via: 'line_login' });
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_2', propertyValue: user, changeSource: 'INTEGRATION' }]);
    expect((await link(accountA2, user)).linked_via).toBe('line_login');

    // Another user typed in replaces the link; an emptied value unlinks.
    const other = lineUserId();
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_2', propertyValue: other }]);
    expect((await link(accountA2, user)).contact_id).toBeNull();
    expect(Number((await link(accountA2, other)).contact_id)).toBe(contactId);
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_2', propertyValue: '' }]);
    expect((await link(accountA2, other)).contact_id).toBeNull();
  });

  it('ignores values that are not LINE user IDs, accounts that do not exist, and other properties', async () => {
    const contactId = nextContact();
    const before = await world.ctx.db('line_links').count({ n: '*' }).first();
    await deliver([
      { subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: 'not-a-line-id' },
      { subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_5', propertyValue: lineUserId() },
      { subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'email', propertyValue: 'a@example.com' },
      { subscriptionType: 'contact.creation', portalId: portalA, objectId: contactId },
    ]);
    expect(await world.ctx.db('line_links').count({ n: '*' }).first()).toEqual(before);
  });

  it('a redelivered event (same eventId) is queued once; events of portals not installed here are dropped', async () => {
    const events: WebhookEventInput[] = [{ subscriptionType: 'contact.deletion', portalId: portalA, objectId: nextContact(), eventId: 777_001 }];
    const before = await jobCount();
    await world.hubspot.sendWebhooks(target(), events);
    await world.hubspot.sendWebhooks(target(), events);
    const stranger = world.hubspot.createPortal().portalId;
    await world.hubspot.sendWebhooks(target(), [{ subscriptionType: 'contact.deletion', portalId: stranger, objectId: 1, eventId: 777_002 }]);
    expect(await jobCount()).toBe(before + 1);
  });

  it('src/app/webhooks/webhooks-hsmeta.json subscribes to exactly what the backend handles, at its URL', () => {
    const meta = JSON.parse(readFileSync(new URL('../../src/app/webhooks/webhooks-hsmeta.json', import.meta.url), 'utf8'));
    expect(meta.config.settings.targetUrl).toBe('${BACKEND_URL}/hubspot/webhooks');
    const subscriptions = [...meta.config.subscriptions.legacyCrmObjects, ...meta.config.subscriptions.hubEvents];
    expect(new Set(subscriptions.map((s: { subscriptionType: string }) => s.subscriptionType))).toEqual(new Set(HANDLED_SUBSCRIPTIONS));
    for (const s of subscriptions.filter((x: { subscriptionType: string }) => x.subscriptionType === 'contact.propertyChange')) {
      expect(parseLinePropertyName(s.propertyName)?.base).toBe('line_user_id');
    }
  });
});
