// Steps with contact tokens, run by the HubSpot emulator as HubSpot runs them: values come with the
// execution request (objectRequestOptions) or from batch reads, each contact gets its own rendering,
// identical renderings share a multicast, and a step LINE would refuse fails before LINE is called.
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_PROPERTIES } from '../../backend/src/workflow/request-properties.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { waitUntil } from '../support/inbound-world.ts';
import { REQUESTED_PROPERTIES, startWorkflowWorld, type Friend, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
let database: TestDatabase | undefined;
afterEach(async () => {
  await w?.close();
  await database?.drop();
  database = undefined;
});

const received = (friend: Friend) => w.line.received(w.account.channel.channelId, friend.lineUserId);
const textsOf = (friend: Friend) => received(friend).flatMap((d) => d.messages.map((m) => (m as { text?: string }).text));
const lineRequests = (path: string) => w.line.requests.filter((r) => r.path === path);
const hubspotCalls = (path: string) => w.hubspot.calls.filter((c) => c.path === path);
const setContact = (friend: Friend, properties: Record<string, string>) => w.hubspot.portal(w.portalId).updateObject('contacts', String(friend.contactId), properties);

/** The outputs of each execution: in HubSpot's answer when known at once, else in its completion callback. */
async function executeAll(friends: Friend[], inputFields: (f: Friend) => Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const executions = await Promise.all(friends.map((f) => w.execute(f.contactId, inputFields(f))));
  const answers = executions.map((e) => (e.attempts.at(-1)!.body as { outputFields: Record<string, string> }).outputFields);
  const portal = w.hubspot.portal(w.portalId);
  const completion = (callbackId: string) => portal.callbacksCompleted().find((c) => c.callbackId === callbackId);
  const blocked = executions.filter((e, i) => answers[i].hs_execution_state === 'BLOCK');
  await waitUntil(() => blocked.every((e) => completion(e.callbackId)), 'every execution completed', 20_000);
  await w.idle();
  return executions.map((e, i) => (answers[i].hs_execution_state === 'BLOCK' ? completion(e.callbackId)!.outputFields : answers[i]));
}

describe('the action definition', () => {
  it('asks HubSpot for the properties the backend expects with each execution', () => {
    expect(REQUESTED_PROPERTIES).toEqual(REQUEST_PROPERTIES.contact);
  });
});

describe('tokens filled in per contact', () => {
  it('uses the values HubSpot sent with the execution, and the fallback for an empty one, without calling HubSpot', async () => {
    w = await startWorkflowWorld();
    const [hanako, anonymous, noCompany] = await w.addFriends(3);
    setContact(hanako, { firstname: '花子', company: 'ACME' });
    setContact(anonymous, { firstname: '' });
    const callsBefore = w.hubspot.calls.length;
    const greeting = 'こんにちは {{contact.firstname | default: "お客様"}}さん';
    const outputs = await executeAll([hanako, anonymous, noCompany], (f) => (f === anonymous ? { message_1: greeting } : { message_1: greeting, message_2: '{{ contact.company }}' }));
    expect(outputs.slice(0, 2).map((o) => o.line_delivery)).toEqual(['sent', 'sent']);
    expect(textsOf(hanako)).toEqual(['こんにちは 花子さん', 'ACME']);
    expect(textsOf(anonymous)).toEqual(['こんにちは お客様さん']);
    // An empty value without a fallback leaves an empty text, which LINE refuses: the step fails instead.
    expect(outputs[2]).toEqual({ line_delivery: 'failed', line_error: 'message_2 with the contact\'s values filled in: text is required', hs_execution_state: 'SUCCESS' });
    expect(received(noCompany)).toHaveLength(0);
    const fromWorker = w.hubspot.calls.slice(callsBefore).filter((c) => c.path.includes('/batch/read') || c.path.startsWith('/crm/v3/properties'));
    expect(fromWorker).toEqual([]);
  });

  it('reads properties the execution did not carry with at most one batch read per 100 executions', async () => {
    w = await startWorkflowWorld();
    const friends = await w.addFriends(150);
    const readsBefore = hubspotCalls('/crm/v3/objects/contacts/batch/read').length;
    // The executions become due together, as when HubSpot runs a step for a list enrolled at once.
    await w.ctx.queue.pausePortal(w.portalId, Date.now() + 60_000, 'executions arriving');
    const running = executeAll(friends, () => ({ message_1: '{{contact.line_display_name | default: "LINE friend"}}さん、ご来店ありがとうございました' }));
    await waitUntil(() => w.hubspot.workflowExecutions.filter((e) => e.attempts.length > 0).length === friends.length, 'every execution answered');
    await waitUntil(async () => (await w.ctx.db('jobs').where({ type: 'workflow.send' }).where('run_at', '>', Date.now()).first()) === undefined, 'every send due');
    await w.ctx.queue.resumePortal(w.portalId);
    const outputs = await running;
    expect(outputs.every((o) => o.line_delivery === 'sent')).toBe(true);
    for (const friend of friends) {
      const name = w.hubspot.portal(w.portalId).contacts().find((c) => c.id === String(friend.contactId))!.properties.line_display_name;
      expect(textsOf(friend)).toEqual([`${name}さん、ご来店ありがとうございました`]);
    }
    const reads = hubspotCalls('/crm/v3/objects/contacts/batch/read').length - readsBefore;
    expect(reads).toBe(2);
    // Personalised renderings each go as their own push.
    expect(lineRequests('/v2/bot/message/multicast').filter((r) => r.status === 200)).toHaveLength(0);
  }, 60_000);

  it('retries the send later when HubSpot cannot give the values now', async () => {
    w = await startWorkflowWorld();
    const [friend] = await w.addFriends(1);
    w.hubspot.faults.inject({ path: '/crm/v3/objects/contacts/batch/read', status: 503, times: 4 });
    const [outputs] = await executeAll([friend], () => ({ message_1: 'Hi {{contact.line_display_name}}' }));
    expect(outputs.line_delivery).toBe('sent');
    const name = w.hubspot.portal(w.portalId).contacts().find((c) => c.id === String(friend.contactId))!.properties.line_display_name;
    expect(textsOf(friend)).toEqual([`Hi ${name}`]);
    expect(hubspotCalls('/crm/v3/objects/contacts/batch/read').filter((c) => c.status === 503)).toHaveLength(4);
  });

  it('fails a step whose token names a property the account does not have, naming the token and field, without calling LINE', async () => {
    w = await startWorkflowWorld();
    const [friend] = await w.addFriends(1);
    const [outputs] = await executeAll([friend], () => ({ message_1: 'Hello', message_2: 'Your colour: {{contact.favourite_colour | default: "none"}}' }));
    expect(outputs).toEqual({
      line_delivery: 'failed',
      line_error: 'message_2: {{contact.favourite_colour | default: "none"}} names a contact property that does not exist in this HubSpot account (favourite_colour)',
      hs_execution_state: 'SUCCESS',
    });
    expect(received(friend)).toHaveLength(0);
  });

  it('answers failed at once for a token that cannot be read', async () => {
    w = await startWorkflowWorld();
    const [friend] = await w.addFriends(1);
    const execution = await w.execute(friend.contactId, { message_1: 'Hi {{contact.firstname | upper}}' });
    expect((execution.attempts.at(-1)!.body as { outputFields: Record<string, string> }).outputFields).toEqual({
      line_delivery: 'failed',
      line_error: 'message_1: {{contact.firstname | upper}} uses the unknown filter "upper": only default: "fallback" is supported',
      hs_execution_state: 'SUCCESS',
    });
  });

  it('fails a message that exceeds LINE\'s limits once filled in, without calling LINE', async () => {
    w = await startWorkflowWorld();
    const [long, short] = await w.addFriends(2);
    setContact(long, { firstname: 'Bartholomew-Alexander von Hohenzollern' });
    setContact(short, { firstname: 'Al' });
    const outputs = await executeAll([long, short], () => ({ message_1: `${'x'.repeat(4_975)}{{contact.firstname}}` }));
    expect(outputs[0]).toEqual({ line_delivery: 'failed', line_error: 'message_1 with the contact\'s values filled in: text is longer than 5000 characters (5013)', hs_execution_state: 'SUCCESS' });
    expect(outputs[1]).toMatchObject({ line_delivery: 'sent' });
    expect(received(long)).toHaveLength(0);
    expect(received(short)).toHaveLength(1);
  });

  it('checks a link or a long text made of tokens once it is filled in', async () => {
    w = await startWorkflowWorld();
    const [secure, plain] = await w.addFriends(2);
    setContact(secure, { website: 'https://example.com/coupon.png' });
    setContact(plain, { website: 'http://example.com/coupon.png' });
    const image = JSON.stringify({ type: 'image', originalContentUrl: '{{contact.website}}', previewImageUrl: '{{contact.website}}' });
    const longWithTokens = `${'x'.repeat(4_990)}{{contact.firstname | default: ""}}`;
    const outputs = await executeAll([secure, plain], () => ({ message_1: longWithTokens, message_2: image }));
    expect(outputs[0]).toMatchObject({ line_delivery: 'sent' });
    expect(received(secure)[0].messages[1]).toEqual({ type: 'image', originalContentUrl: 'https://example.com/coupon.png', previewImageUrl: 'https://example.com/coupon.png' });
    expect(outputs[1]).toMatchObject({ line_delivery: 'failed', line_error: 'message_2 with the contact\'s values filled in: originalContentUrl must be an https:// URL of at most 2000 characters' });
  });
});

describe('sending rendered messages', () => {
  it('sends contacts whose rendered messages are identical as one multicast and personalised ones as pushes', async () => {
    w = await startWorkflowWorld({ timings: { sendWindowMs: 1_000 } });
    const friends = await w.addFriends(13);
    const same = friends.slice(0, 10);
    const personal = friends.slice(10);
    for (const f of same) setContact(f, { firstname: 'Ken' });
    personal.forEach((f, i) => setContact(f, { firstname: `Person ${i}` }));
    const outputs = await executeAll(friends, () => ({ message_1: 'Hello {{contact.firstname}}' }));
    expect(outputs.every((o) => o.line_delivery === 'sent')).toBe(true);
    for (const f of same) expect(textsOf(f)).toEqual(['Hello Ken']);
    personal.forEach((f, i) => expect(textsOf(f)).toEqual([`Hello Person ${i}`]));
    const multicasts = lineRequests('/v2/bot/message/multicast').filter((r) => r.status === 200);
    const pushes = lineRequests('/v2/bot/message/push').filter((r) => r.status === 200);
    const kenRequests = [...multicasts, ...pushes].filter((r) => JSON.stringify(r.body).includes('Hello Ken'));
    // Executions that arrive in two send windows make two requests at most.
    expect(kenRequests.length).toBeLessThanOrEqual(2);
    expect(multicasts.some((r) => (r.body as { to: string[] }).to.length >= 5)).toBe(true);
    expect(pushes.filter((r) => JSON.stringify(r.body).includes('Person'))).toHaveLength(3);
  });

  it('resends a personalised push whose answer was lost as it was first rendered, under the same retry key', async () => {
    w = await startWorkflowWorld();
    const [friend] = await w.addFriends(1);
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, afterProcessing: true });
    const [outputs] = await executeAll([friend], () => ({ message_1: 'Hi {{contact.line_display_name}}' }));
    expect(outputs.line_delivery).toBe('sent');
    const name = w.hubspot.portal(w.portalId).contacts().find((c) => c.id === String(friend.contactId))!.properties.line_display_name;
    expect(textsOf(friend)).toEqual([`Hi ${name}`]);
    const pushes = lineRequests('/v2/bot/message/push');
    expect(pushes).toHaveLength(2);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
    expect(new Set(pushes.map((p) => JSON.stringify((p.body as { messages: unknown }).messages))).size).toBe(1);
  });

  it.each(engines())('validates the same LINE JSON once, for 50 executions and the next run of the step (%s)', async (engine) => {
    database = await createTestDatabase(engine);
    w = await startWorkflowWorld({ timings: { sendWindowMs: 1_000 }, databaseUrl: database.url });
    const friends = await w.addFriends(51);
    const card = JSON.stringify({ type: 'flex', altText: 'Spring sale', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '20% off' }] } } });
    const outputs = await executeAll(friends.slice(0, 50), () => ({ message_1: card }));
    expect(outputs.every((o) => o.line_delivery === 'sent')).toBe(true);
    const validations = () => w.line.requests.filter((r) => r.path.startsWith('/v2/bot/message/validate/'));
    expect(validations()).toHaveLength(1);
    await executeAll(friends.slice(50), () => ({ message_1: card }));
    expect(validations()).toHaveLength(1);
    expect(received(friends[50])).toHaveLength(1);
  }, 30_000);

  it('fails executions whose JSON LINE\'s validate endpoint refuses, with LINE\'s words, and sends nothing', async () => {
    w = await startWorkflowWorld();
    const friends = await w.addFriends(3);
    const broken = JSON.stringify({
      type: 'template',
      altText: 'Menu',
      template: { type: 'buttons', thumbnailImageUrl: 'http://example.com/menu.png', text: 'Today', actions: [{ type: 'message', label: 'Order', text: 'order' }] },
    });
    const outputs = await executeAll(friends, () => ({ message_1: 'Hi', message_2: broken }));
    for (const o of outputs) {
      expect(o.line_delivery).toBe('failed');
      expect(o.line_error).toMatch(/^LINE 400: .*; messages\[1\]\.template\.thumbnailImageUrl: must be a valid HTTPS URL/);
    }
    for (const f of friends) expect(received(f)).toHaveLength(0);
    expect(lineRequests('/v2/bot/message/push').length + lineRequests('/v2/bot/message/multicast').length).toBe(0);
  });
});
