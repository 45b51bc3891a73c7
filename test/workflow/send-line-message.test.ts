// The "Send LINE message" workflow action, run by the HubSpot emulator as HubSpot runs it: signed v2
// executions, BLOCK answers completed through the callback API, retries with the same callbackId.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';
import { waitUntil } from '../support/inbound-world.ts';

let w: WorkflowWorld;
afterEach(async () => w?.close());

const completion = (callbackId: string) => w.hubspot.portal(w.portalId).callbacksCompleted().filter((c) => c.callbackId === callbackId);
const received = (lineUserId: string) => w.line.received(w.account.channel.channelId, lineUserId);
const answerOf = (e: { attempts: Array<{ body: unknown }> }) => e.attempts.at(-1)!.body as { outputFields: Record<string, string> };
const lineRequests = (path: string) => w.line.requests.filter((r) => r.path === path);

async function completed(callbackId: string) {
  await waitUntil(() => completion(callbackId).length > 0, `callback ${callbackId} completed`);
  await w.idle();
  return completion(callbackId);
}

describe('an execution for a linked friend', () => {
  beforeEach(async () => {
    w = await startWorkflowWorld();
  });

  it('is answered BLOCK, sends the messages once and completes with line_delivery sent', async () => {
    const [friend] = await w.addFriends(1);
    const sticker = JSON.stringify({ type: 'sticker', packageId: '446', stickerId: '1988' });
    const execution = await w.execute(friend.contactId, { lineAccount: String(w.account.id), message_1: 'Thank you for your visit', message_2: sticker });
    expect(execution.attempts).toHaveLength(1);
    expect(answerOf(execution)).toEqual({ outputFields: { hs_execution_state: 'BLOCK' } });
    const done = await completed(execution.callbackId);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ batch: true, known: true, outputFields: { line_delivery: 'sent', line_error: '', hs_execution_state: 'SUCCESS' } });
    const deliveries = received(friend.lineUserId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].messages).toEqual([{ type: 'text', text: 'Thank you for your visit' }, { type: 'sticker', packageId: '446', stickerId: '1988' }]);
  });

  it('shows the send in the chat panel as sent by the workflow and updates the last outbound date', async () => {
    const [friend] = await w.addFriends(1);
    const execution = await w.execute(friend.contactId, { message_1: 'See you tomorrow' }, { workflowId: 4242 });
    await completed(execution.callbackId);
    const history = await w.hubspotFetch(`/api/contacts/${friend.contactId}/messages?accountId=${w.account.id}`, { portalId: w.portalId });
    expect(history.status).toBe(200);
    const sent = history.body.messages.find((m: { content: { text?: string } }) => m.content.text === 'See you tomorrow');
    expect(sent).toMatchObject({ direction: 'outbound', status: 'sent', sender: { kind: 'workflow', name: 'Workflow 4242' } });
    const contact = w.hubspot.portal(w.portalId).contacts().find((c) => c.id === String(friend.contactId))!;
    expect(contact.properties.line_last_outbound_at).toBeTruthy();
  });

  it('sends once when HubSpot sends the same callbackId again, before and after completion', async () => {
    const [friend] = await w.addFriends(1);
    // LINE takes its time with the push: the first execution is still running when the same callbackId comes again.
    w.line.faults.inject({ path: '/v2/bot/message/push', delayMs: 500 });
    const first = await w.execute(friend.contactId, { message_1: 'Only once' });
    const again = await w.execute(friend.contactId, { message_1: 'Only once' }, { callbackId: first.callbackId });
    expect(answerOf(again).outputFields.hs_execution_state).toBe('BLOCK');
    await completed(first.callbackId);
    const late = await w.execute(friend.contactId, { message_1: 'Only once' }, { callbackId: first.callbackId });
    expect(answerOf(late)).toEqual({ outputFields: { line_delivery: 'sent', line_error: '', hs_execution_state: 'SUCCESS' } });
    await w.idle();
    expect(received(friend.lineUserId)).toHaveLength(1);
    expect(completion(first.callbackId)).toHaveLength(1);
  });

  it('counts a push whose answer was lost as sent: the retry carries the same key and LINE answers 409', async () => {
    const [friend] = await w.addFriends(1);
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, afterProcessing: true });
    const execution = await w.execute(friend.contactId, { message_1: 'Lost answer' });
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields).toMatchObject({ line_delivery: 'sent' });
    expect(received(friend.lineUserId)).toHaveLength(1);
    const pushes = lineRequests('/v2/bot/message/push');
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
  });

  it('retries LINE 429 and 5xx, then sends', async () => {
    const [friend] = await w.addFriends(1);
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 429, times: 2 });
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 503 });
    const execution = await w.execute(friend.contactId, { message_1: 'Eventually' });
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields).toMatchObject({ line_delivery: 'sent' });
    expect(received(friend.lineUserId)).toHaveLength(1);
  });

  it('ends failed with LINE\'s message when LINE refuses the request', async () => {
    const [friend] = await w.addFriends(1);
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 400, body: { message: 'The request body has 1 error(s)', details: [{ message: 'invalid uri', property: 'messages[0].originalContentUrl' }] } });
    const execution = await w.execute(friend.contactId, { message_1: 'Refused' });
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields).toEqual({
      line_delivery: 'failed',
      line_error: 'LINE 400: The request body has 1 error(s); messages[0].originalContentUrl: invalid uri',
      hs_execution_state: 'SUCCESS',
    });
    expect(received(friend.lineUserId)).toHaveLength(0);
  });
});

describe('outcomes known at once', () => {
  beforeEach(async () => {
    w = await startWorkflowWorld();
  });

  it('answers not_linked for a contact without a LINE user, and blocked for one who blocked the account, without calling LINE', async () => {
    const [blocked] = await w.addFriends(1);
    await w.block([blocked]);
    const unlinked = w.hubspot.portal(w.portalId).createObject('contacts', { email: 'nobody@example.com' });
    const before = lineRequests('/v2/bot/message/push').length;
    const a = await w.execute(Number(unlinked.id), { message_1: 'Hello' });
    const b = await w.execute(blocked.contactId, { message_1: 'Hello' });
    expect(answerOf(a).outputFields).toEqual({ line_delivery: 'not_linked', line_error: expect.stringContaining('not linked'), hs_execution_state: 'SUCCESS' });
    expect(answerOf(b).outputFields).toEqual({ line_delivery: 'blocked', line_error: expect.stringContaining('blocked'), hs_execution_state: 'SUCCESS' });
    await w.idle();
    expect(lineRequests('/v2/bot/message/push').length).toBe(before);
  });

  it('answers failed with the field and the rule for a message LINE would refuse', async () => {
    const [friend] = await w.addFriends(1);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ message_1: '{"type":"sticker",' }, 'message_1 is not valid JSON'],
      [{ message_1: 'ok', message_2: JSON.stringify({ type: 'image', originalContentUrl: 'http://x/a.png', previewImageUrl: 'https://x/a.png' }) }, 'message_2: originalContentUrl must be an https:// URL'],
      [{ message_1: 'x'.repeat(5001) }, 'message_1: text is longer than 5000 characters'],
      [{ message_1: JSON.stringify({ type: 'flex', altText: 'a', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'y'.repeat(31_000) }] } } }) }, 'message_1: a flex bubble is'],
      [{}, 'The step has no message'],
    ];
    for (const [fields, error] of cases) {
      const execution = await w.execute(friend.contactId, fields);
      expect(answerOf(execution).outputFields).toMatchObject({ line_delivery: 'failed', hs_execution_state: 'SUCCESS' });
      expect(answerOf(execution).outputFields.line_error).toContain(error);
    }
    await w.idle();
    expect(received(friend.lineUserId)).toHaveLength(0);
  });
});

describe('the retry horizon', () => {
  it('ends failed once LINE has not accepted the message for the horizon', async () => {
    w = await startWorkflowWorld({ timings: { retryHorizonMs: 300 } });
    const [friend] = await w.addFriends(1);
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, times: Infinity });
    const execution = await w.execute(friend.contactId, { message_1: 'Never' });
    const done = await completed(execution.callbackId);
    expect(done[0].outputFields.line_delivery).toBe('failed');
    expect(done[0].outputFields.line_error).toMatch(/^LINE did not accept the message for .* h; last answer: LINE 500/);
  });
});

describe('requests that are not HubSpot executions of an installed portal', () => {
  beforeEach(async () => {
    w = await startWorkflowWorld();
  });

  const body = (portalId: number) => JSON.stringify({ callbackId: 'cb-1', origin: { portalId }, object: { objectId: 1, objectType: 'CONTACT' }, inputFields: { message_1: 'x' } });

  it('refuses unsigned requests (401), hubspot.fetch-shaped ones (403) and portals without the app (403), storing nothing', async () => {
    const unsigned = await fetch(w.actionUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(w.portalId) });
    expect(unsigned.status).toBe(401);
    const viaFetch = await w.hubspot.hubspotFetch(w.actionUrl, { portalId: w.portalId, method: 'POST', body: JSON.parse(body(w.portalId)) }).catch((e: Error) => e);
    expect(viaFetch).toBeInstanceOf(TypeError); // not in permittedUrls.fetch
    w.hubspot.permitFetchUrls(undefined);
    const fetched = await w.hubspot.hubspotFetch(w.actionUrl, { portalId: w.portalId, method: 'POST', body: JSON.parse(body(w.portalId)) });
    expect(fetched.status).toBe(403);
    const other = w.hubspot.createPortal();
    const stranger = await w.hubspot.executeWorkflowAction({ actionUrl: w.actionUrl, portalId: other.portalId, object: { objectId: 1 }, inputFields: { message_1: 'x' } });
    expect(stranger.attempts.map((a) => a.status)).toEqual([403]);
    expect(await w.ctx.db('workflow_executions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('answers 400 to a body that is not an execution', async () => {
    const res = await w.hubspot.executeWorkflowAction({ actionUrl: w.actionUrl, portalId: w.portalId, object: { objectId: 'abc' }, inputFields: {} });
    expect(res.attempts.map((a) => a.status)).toEqual([400]);
  });

  it('answers 400 to an execution of a company workflow, which this contact action is not for, storing nothing', async () => {
    const company = w.hubspot.portal(w.portalId).createObject('companies', { name: 'ACME' });
    const res = await w.execute(Number(company.id), { message_1: 'x' }, { object: { objectId: company.id, objectType: 'COMPANY' } });
    expect(res.attempts.map((a) => a.status)).toEqual([400]);
    expect((res.attempts[0].body as { error: { message: string } }).error.message).toContain('this action is for CONTACT records');
    expect(await w.ctx.db('workflow_executions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

describe('optionsUrl', () => {
  it('lists the connected LINE accounts for the lineAccount field, searchable', async () => {
    w = await startWorkflowWorld();
    const res = await w.hubspot.callOptionsUrl(w.optionsUrl, { portalId: w.portalId, inputFieldName: 'lineAccount' });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ options: [{ value: String(w.account.id), label: w.account.channel.displayName, description: expect.any(String) }], searchable: true });
  });
});
