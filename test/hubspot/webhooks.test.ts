// POST /hubspot/webhooks: HubSpot's deliveries (sent and signed by the emulator) keep line_links right, and
// every event is only a hint: what it would change is confirmed with HubSpot (the emulator) first.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeReplyToken } from '../../backend/src/chat/reply-tokens.ts';
import { updateConversation } from '../../backend/src/conversation/conversation-state.ts';
import { saveMedia } from '../../backend/src/media/media-store.ts';
import { parseLinePropertyName } from '../../backend/src/properties/property-names.ts';
import { syncLinkJob } from '../../backend/src/conversation/sync-link-job.ts';
import { provisionPropertiesJob } from '../../backend/src/accounts/provision-properties-job.ts';
import { enqueueProvisioning } from '../../backend/src/properties/provision-properties.ts';
import { hubspotWebhookEventJob } from '../../backend/src/hubspot-webhooks/apply-event.ts';
import { inboundEventJob } from '../../backend/src/inbound/inbound-event-job.ts';
import { HANDLED_SUBSCRIPTIONS } from '../../backend/src/hubspot-webhooks/events.ts';
import { signV3, type Portal, type WebhookEventInput } from '../emulators/hubspot/index.ts';
import { engines } from '../support/databases.ts';
import { connectLineAccount, eventually, insertLineAccount, insertLink, insertMessage, installThroughBrowser, jobsSettled, lineUserId, startWorld, type World } from '../install/harness.ts';

describe.each(engines())('HubSpot webhooks on %s', (engine) => {
  let world: World;
  let portalA: number;
  let portalB: number;
  let hubspotA: Portal;
  let hubspotB: Portal;
  let accountA1: number;
  /** The LINE channel behind account A1: its users write through the webhook. */
  let channelA1: string;
  let accountA2: number;
  let accountB1: number;
  let contact = 5000;
  const nextContact = () => ++contact;
  let eventId = 1;
  beforeAll(async () => {
    world = await startWorld(engine);
    hubspotA = world.hubspot.createPortal();
    hubspotB = world.hubspot.createPortal();
    portalA = hubspotA.portalId;
    portalB = hubspotB.portalId;
    await installThroughBrowser(world, portalA);
    await installThroughBrowser(world, portalB);
    const connected = await connectLineAccount(world, portalA);
    [accountA1, channelA1] = [connected.id, connected.channel.channelId];
    accountA2 = await insertLineAccount(world.ctx, portalA, 2);
    accountB1 = await insertLineAccount(world.ctx, portalB, 1);
    // As the accounts feature does on connecting an account; one portal's runs never overlap.
    await enqueueProvisioning(world.ctx, portalA);
    await enqueueProvisioning(world.ctx, portalB);
    await jobsSettled(world.ctx, provisionPropertiesJob.type);
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
  const contactOf = async (accountId: number, userId: string) => {
    const row = await link(accountId, userId);
    return row?.contact_id === null || row?.contact_id === undefined ? null : Number(row.contact_id);
  };
  const jobCount = async () => Number((await world.ctx.db('jobs').where({ type: hubspotWebhookEventJob.type }).count({ n: '*' }).first())?.n);
  const rowCounts = async () => {
    const counts: Record<string, number> = {};
    for (const table of ['line_links', 'messages', 'inbound_events']) counts[table] = Number((await world.ctx.db(table).count({ n: '*' }).first())?.n);
    return counts;
  };
  const linkedContacts = async () =>
    (await world.ctx.db('line_links').whereNotNull('contact_id').orderBy('id').select('id', 'contact_id')).map((r) => `${r.id}:${r.contact_id}`);
  const newContact = (hubspot: Portal, properties: Record<string, string> = {}) => Number(hubspot.createObject('contacts', { firstname: 'Test', ...properties }).id);
  const warnings = (message: string) => world.backend.logs.filter((l) => l.msg === message);

  /** A LINE user writes to account A1; answers once the inbound worker has stored the event and the message. */
  async function writeToA1(userId: string, text: string) {
    expect((await world.line.sendText(channelA1, userId, text)).status).toBe(200);
    await jobsSettled(world.ctx, inboundEventJob.type);
  }

  /** The production path an agent takes on the LINE card; the link's LINE properties then land on the contact. */
  async function linkByHand(portalId: number, accountId: number, contactId: number, userId: string) {
    const res = await world.hubspot.hubspotFetch(`${world.backend.url}/api/contacts/${contactId}/line/${accountId}/link`, { portalId, method: 'POST', body: { lineUserId: userId } });
    expect(res.status).toBe(201);
    await jobsSettled(world.ctx, syncLinkJob.type);
  }

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

  it('deletion and privacy deletion events for a contact HubSpot still has change no row, and say so in the log', async () => {
    const contactId = newContact(hubspotA);
    const user = world.line.createUser().userId;
    await linkByHand(portalA, accountA1, contactId, user);
    await writeToA1(user, 'hello');
    const before = await rowCounts();

    await deliver([
      { subscriptionType: 'contact.deletion', portalId: portalA, objectId: contactId },
      { subscriptionType: 'contact.privacyDeletion', portalId: portalA, objectId: contactId },
    ]);
    expect(await rowCounts()).toEqual(before);
    expect(await contactOf(accountA1, user)).toBe(contactId);
    const refused = warnings('event not confirmed by HubSpot').filter((l) => l.contactId === contactId);
    expect(refused.map((l) => l.type).sort()).toEqual(['contact.deletion', 'contact.privacyDeletion']);
    expect(refused.every((l) => l.portalId === portalA)).toBe(true);
  });

  it('contact.deletion of a contact HubSpot deleted unlinks its LINE users, in that portal only', async () => {
    const contactId = newContact(hubspotA);
    const userA = lineUserId();
    const userB = lineUserId();
    await linkByHand(portalA, accountA1, contactId, userA);
    await insertLink(world.ctx, { portalId: portalB, accountId: accountB1, lineUserId: userB, contactId });
    hubspotA.archiveObject('contacts', String(contactId));
    await deliver([{ subscriptionType: 'contact.deletion', portalId: portalA, objectId: contactId }]);
    expect(await link(accountA1, userA)).toMatchObject({ contact_id: null, linked_via: null, linked_at: null });
    expect(await contactOf(accountB1, userB)).toBe(contactId);
  });

  it('a deletion of an id HubSpot now answers with the contact it was merged into moves the links there; a privacy deletion erases nothing', async () => {
    const [kept, absorbed] = [newContact(hubspotA), newContact(hubspotA)];
    const user = lineUserId();
    await linkByHand(portalA, accountA1, absorbed, user);
    const merged = Number(hubspotA.mergeObjects('contacts', String(kept), String(absorbed)).id);
    // The person still exists in HubSpot, under the new id: nothing about them is erased.
    await deliver([{ subscriptionType: 'contact.privacyDeletion', portalId: portalA, objectId: absorbed }]);
    expect(await contactOf(accountA1, user)).toBe(absorbed);
    await deliver([{ subscriptionType: 'contact.deletion', portalId: portalA, objectId: absorbed }]);
    expect(await contactOf(accountA1, user)).toBe(merged);
  });

  it('contact.privacyDeletion of a contact HubSpot erased deletes everything stored about its LINE users, and nothing else', async () => {
    const contactId = newContact(hubspotA);
    const gone = world.line.createUser().userId;
    const kept = lineUserId();
    await linkByHand(portalA, accountA1, contactId, gone);
    await linkByHand(portalA, accountA1, newContact(hubspotA), kept);
    const goneLink = Number((await link(accountA1, gone)).id);
    const goneMessage = await insertMessage(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: gone, text: 'my address is …' });
    await insertMessage(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: kept, text: 'hello' });
    const now = Date.now();
    await saveMedia(world.ctx, { messageId: goneMessage, portalId: portalA, contentType: 'image/jpeg', bytes: Buffer.from('abc') });
    await updateConversation(world.ctx, portalA, goneLink, { unanswered: true, unanswered_message: 'my address is …' });
    await writeToA1(gone, 'call me back');
    await storeReplyToken(world.ctx, accountA1, { replyToken: 'r', timestamp: now, mode: 'active', source: { type: 'user', userId: gone } }, now);

    hubspotA.gdprDeleteContact(String(contactId));
    await deliver([{ subscriptionType: 'contact.privacyDeletion', portalId: portalA, objectId: contactId }]);
    for (const table of ['line_links', 'messages', 'inbound_events', 'line_reply_tokens']) {
      expect(await world.ctx.db(table).where({ line_user_id: gone }).first(), table).toBeUndefined();
    }
    expect(await world.ctx.db('media').where({ message_id: goneMessage }).first()).toBeUndefined();
    expect(await world.ctx.db('conversations').where({ link_id: goneLink }).first()).toBeUndefined();
    expect(await link(accountA1, kept)).toBeDefined();
    expect(await world.ctx.db('messages').where({ line_user_id: kept }).first()).toBeDefined();
  });

  it('a merge event naming contacts HubSpot did not merge moves nothing', async () => {
    const [primary, other] = [newContact(hubspotA), newContact(hubspotA)];
    const [u1, u2] = [lineUserId(), lineUserId()];
    await linkByHand(portalA, accountA1, primary, u1);
    await linkByHand(portalA, accountA1, other, u2);
    const before = await linkedContacts();
    await deliver([{ subscriptionType: 'contact.merge', portalId: portalA, objectId: primary, primaryObjectId: primary, mergedObjectIds: [other], newObjectId: primary }]);
    expect(await linkedContacts()).toEqual(before);
    expect(warnings('event not confirmed by HubSpot').some((l) => l.type === 'contact.merge' && l.contactId === primary)).toBe(true);
  });

  it('a real merge moves the links of the merged contacts to the record HubSpot made, and only theirs', async () => {
    const [primary, secondary, bystander] = [newContact(hubspotA), newContact(hubspotA), newContact(hubspotA)];
    const [u1, u2, u3] = [lineUserId(), lineUserId(), lineUserId()];
    await linkByHand(portalA, accountA1, primary, u1);
    await linkByHand(portalA, accountA2, secondary, u2);
    await linkByHand(portalA, accountA1, bystander, u3);
    const merged = Number(hubspotA.mergeObjects('contacts', String(primary), String(secondary)).id);
    // The event also names a contact that was not part of the merge: its link stays.
    await deliver([{ subscriptionType: 'contact.merge', portalId: portalA, objectId: primary, primaryObjectId: primary, mergedObjectIds: [secondary, bystander], newObjectId: merged }]);
    expect(await contactOf(accountA1, u1)).toBe(merged);
    expect(await contactOf(accountA2, u2)).toBe(merged);
    expect(await contactOf(accountA1, u3)).toBe(bystander);
  });

  it('a change of line_user_id / line_user_id_N links the LINE user HubSpot holds now, not the one the event names', async () => {
    const current = lineUserId();
    const stale = lineUserId();
    const contactId = newContact(hubspotA, { line_user_id_2: current });
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_2', propertyValue: stale }]);
    const created = await link(accountA2, current);
    expect(created).toMatchObject({ portal_id: portalA, linked_via: 'hubspot_property', follow_status: 'unknown' });
    expect(Number(created.contact_id)).toBe(contactId);
    expect(await link(accountA2, stale)).toBeUndefined();
    expect(await link(accountA1, current)).toBeUndefined();
  });

  it('our own write of line_user_id coming back changes nothing and costs no HubSpot call', async () => {
    const contactId = newContact(hubspotA);
    const user = lineUserId();
    await linkByHand(portalA, accountA1, contactId, user);
    const calls = world.hubspot.calls.length;
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: user, changeSource: 'INTEGRATION' }]);
    expect(await link(accountA1, user)).toMatchObject({ linked_via: 'manual' });
    expect(world.hubspot.calls.slice(calls).filter((c) => c.path.includes(String(contactId)))).toEqual([]);
  });

  it('an emptied line_user_id unlinks only once HubSpot holds it empty', async () => {
    const contactId = newContact(hubspotA);
    const user = lineUserId();
    await linkByHand(portalA, accountA1, contactId, user);
    await eventually(async () => hubspotA.contacts().find((c) => c.id === String(contactId))?.properties.line_user_id === user, 'the link written onto the contact');
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: '' }]);
    expect(await contactOf(accountA1, user)).toBe(contactId);

    hubspotA.updateObject('contacts', String(contactId), { line_user_id: '' });
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: '' }]);
    expect(await link(accountA1, user)).toMatchObject({ contact_id: null, linked_via: null });
  });

  it('a line_user_id naming a LINE user linked to another contact leaves that link alone, and logs the refusal', async () => {
    const owner = newContact(hubspotA);
    const user = lineUserId();
    await linkByHand(portalA, accountA1, owner, user);
    const claimant = newContact(hubspotA, { line_user_id: user });
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: claimant, propertyName: 'line_user_id', propertyValue: user }]);
    expect(await link(accountA1, user)).toMatchObject({ linked_via: 'manual' });
    expect(await contactOf(accountA1, user)).toBe(owner);
    const refusal = world.backend.logs.find((l) => l.contactId === claimant && l.reason === 'line_user_linked_elsewhere');
    expect(refusal).toMatchObject({ portalId: portalA, accountId: accountA1 });
    expect(JSON.stringify(refusal)).not.toContain(user);
  });

  it('a line_user_id change never replaces the LINE user a contact already has on that account', async () => {
    const contactId = newContact(hubspotA);
    const [linked, typed] = [lineUserId(), lineUserId()];
    await linkByHand(portalA, accountA1, contactId, linked);
    hubspotA.updateObject('contacts', String(contactId), { line_user_id: typed });
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: typed }]);
    expect(await contactOf(accountA1, linked)).toBe(contactId);
    expect(await link(accountA1, typed)).toBeUndefined();
    expect(world.backend.logs.some((l) => l.contactId === contactId && l.reason === 'contact_already_linked')).toBe(true);
  });

  it('a line_user_id naming a known LINE user linked to no contact links it', async () => {
    const user = lineUserId();
    await insertLink(world.ctx, { portalId: portalA, accountId: accountA1, lineUserId: user, contactId: null });
    const contactId = newContact(hubspotA, { line_user_id: user });
    await deliver([{ subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: user }]);
    expect(await link(accountA1, user)).toMatchObject({ linked_via: 'hubspot_property', follow_status: 'following' });
    expect(await contactOf(accountA1, user)).toBe(contactId);
  });

  it('ignores values that are not LINE user IDs, accounts that do not exist, and other properties', async () => {
    const contactId = newContact(hubspotA, { line_user_id: 'not-a-line-id' });
    const before = await world.ctx.db('line_links').count({ n: '*' }).first();
    await deliver([
      { subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id', propertyValue: 'not-a-line-id' },
      { subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'line_user_id_5', propertyValue: lineUserId() },
      { subscriptionType: 'contact.propertyChange', portalId: portalA, objectId: contactId, propertyName: 'email', propertyValue: 'a@example.com' },
      { subscriptionType: 'contact.creation', portalId: portalA, objectId: contactId },
    ]);
    expect(await world.ctx.db('line_links').count({ n: '*' }).first()).toEqual(before);
  });

  it('a transient HubSpot error leaves the event to be retried, changing nothing until HubSpot answers', async () => {
    const contactId = newContact(hubspotA);
    const user = lineUserId();
    await linkByHand(portalA, accountA1, contactId, user);
    hubspotA.archiveObject('contacts', String(contactId));
    world.hubspot.faults.inject({ method: 'GET', path: `/crm/v3/objects/contacts/${contactId}`, portalId: portalA, status: 503 });
    await world.hubspot.sendWebhooks(target(), [{ subscriptionType: 'contact.deletion', portalId: portalA, objectId: contactId, eventId: eventId++ }]);
    const retrying = await eventually(
      () => world.ctx.db('jobs').where({ type: hubspotWebhookEventJob.type, state: 'queued' }).where('attempts', '>=', 1).first(),
      'the event job to be back in the queue',
    );
    expect(retrying.last_error).toMatch(/503/);
    expect(await contactOf(accountA1, user)).toBe(contactId);

    world.hubspot.faults.clear();
    await jobsSettled(world.ctx, hubspotWebhookEventJob.type);
    expect((await world.ctx.db('jobs').where({ id: retrying.id }).first()).state).toBe('done');
    expect(await contactOf(accountA1, user)).toBeNull();
  });

  it('the same eventId from two portals is processed for each of them', async () => {
    const [contactA, contactB] = [newContact(hubspotA), newContact(hubspotB)];
    const [userA, userB] = [lineUserId(), lineUserId()];
    await linkByHand(portalA, accountA1, contactA, userA);
    await linkByHand(portalB, accountB1, contactB, userB);
    hubspotA.archiveObject('contacts', String(contactA));
    hubspotB.archiveObject('contacts', String(contactB));
    const shared = eventId++;
    await deliver([{ subscriptionType: 'contact.deletion', portalId: portalA, objectId: contactA, eventId: shared }]);
    await deliver([{ subscriptionType: 'contact.deletion', portalId: portalB, objectId: contactB, eventId: shared }]);
    expect(await contactOf(accountA1, userA)).toBeNull();
    expect(await contactOf(accountB1, userB)).toBeNull();
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
