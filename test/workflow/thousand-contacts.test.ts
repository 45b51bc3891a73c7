// A workflow of 1,000 enrolled contacts: some not linked to LINE, some who blocked the account, some with
// their own messages (contact tokens, from the execution request or from batch reads), the rest the same campaign. LINE fails about 30% of its requests (some after doing
// the work) and HubSpot loses some answers and retries those executions. Every linked friend still gets
// its messages exactly once and every execution ends with the right outputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../backend/src/concurrency.ts';
import type { WorkflowExecution } from '../emulators/hubspot/index.ts';
import { waitUntil } from '../support/inbound-world.ts';
import { startWorkflowWorld, type Friend, type WorkflowWorld } from '../support/workflow-world.ts';

const FRIENDS = 850;
const BLOCKED = 50;
const UNLINKED = 150;
const PERSONAL = 100;
const CAMPAIGN = 'Spring sale: 20% off this week';

let w: WorkflowWorld;
let friends: Friend[];
let unlinked: number[];

beforeAll(async () => {
  // Long enough that the campaign's executions, however slowly they arrive, fill whole multicasts.
  w = await startWorkflowWorld({ timings: { sendWindowMs: 8_000 } });
  friends = await w.addFriends(FRIENDS);
  await w.block(friends.slice(0, BLOCKED));
  const portal = w.hubspot.portal(w.portalId);
  unlinked = Array.from({ length: UNLINKED }, (_, i) => Number(portal.createObject('contacts', { email: `unlinked${i}@example.com` }).id));
}, 120_000);
afterAll(async () => w?.close());


describe('a workflow step enrolling 1,000 contacts', () => {
  it('sends each linked friend its messages exactly once and completes every execution with its outcome', async () => {
    const blocked = new Set(friends.slice(0, BLOCKED).map((f) => f.contactId));
    const personal = new Map(friends.slice(BLOCKED, BLOCKED + PERSONAL).map((f, i) => [f.contactId, i % 2 ? 'line_display_name' : 'firstname']));
    const textFor = (contactId: number) => {
      const property = personal.get(contactId);
      return property ? `Hello {{contact.${property}}}, your appointment is tomorrow` : CAMPAIGN;
    };
    const contactsById = new Map(w.hubspot.portal(w.portalId).contacts().map((c) => [Number(c.id), c.properties]));
    const renderedFor = (contactId: number) => {
      const property = personal.get(contactId);
      return property ? `Hello ${contactsById.get(contactId)![property]}, your appointment is tomorrow` : CAMPAIGN;
    };
    const contacts = [...friends.map((f) => f.contactId), ...unlinked];

    // About 30% of LINE's answers fail: refusals to retry, and requests LINE carried out but whose answer was lost.
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, times: 15 });
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 503, afterProcessing: true, times: 10 });
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 429, times: 5 });
    w.line.faults.inject({ path: '/v2/bot/message/multicast', status: 500, afterProcessing: true, times: 1 });
    w.line.faults.inject({ path: '/v2/bot/message/multicast', status: 429, times: 1 });

    const executions: WorkflowExecution[] = await mapWithConcurrency(contacts, 64, (contactId, i) =>
      w.execute(contactId, { lineAccount: String(w.account.id), message_1: textFor(contactId) }, { workflowId: 77, lostAnswers: i % 10 === 0 ? 1 : 0 }),
    );
    const portal = w.hubspot.portal(w.portalId);
    const answered = (e: WorkflowExecution) => (e.attempts.at(-1)!.body as { outputFields: Record<string, string> }).outputFields;
    const blockedAnswers = executions.filter((e) => answered(e).hs_execution_state === 'BLOCK');
    await waitUntil(() => new Set(portal.callbacksCompleted().map((c) => c.callbackId)).size >= blockedAnswers.length, 'every blocked execution completed', 60_000);
    await w.idle(60_000);

    const completions = new Map<string, Record<string, unknown>[]>();
    for (const c of portal.callbacksCompleted()) completions.set(c.callbackId, [...(completions.get(c.callbackId) ?? []), c.outputFields]);
    executions.forEach((e, i) => {
      const contactId = contacts[i];
      const outputs = answered(e).hs_execution_state === 'BLOCK' ? completions.get(e.callbackId)?.[0] : answered(e);
      expect(completions.get(e.callbackId)?.length ?? 0, e.callbackId).toBeLessThanOrEqual(1);
      const expected = unlinked.includes(contactId) ? 'not_linked' : blocked.has(contactId) ? 'blocked' : 'sent';
      expect(outputs, `contact ${contactId}`).toMatchObject({ line_delivery: expected, hs_execution_state: 'SUCCESS' });
    });
    for (const friend of friends) {
      const deliveries = w.line.received(w.account.channel.channelId, friend.lineUserId);
      if (blocked.has(friend.contactId)) expect(deliveries, friend.lineUserId).toHaveLength(0);
      else {
        expect(deliveries, friend.lineUserId).toHaveLength(1);
        expect(deliveries[0].messages).toEqual([{ type: 'text', text: renderedFor(friend.contactId) }]);
      }
    }
    expect(executions.filter((e) => e.attempts.length > 1).length).toBeGreaterThanOrEqual(contacts.length / 10);
    // The identical campaign (700 friends) goes out as two multicasts of at most 500 (each under its own
    // retry key, however often the injected faults make it try again), instead of 700 pushes.
    const campaign = FRIENDS - BLOCKED - PERSONAL;
    const multicasts = w.line.requests.filter((r) => r.path === '/v2/bot/message/multicast');
    const keys = new Set(multicasts.map((r) => r.headers['x-line-retry-key']));
    expect(keys.size).toBe(Math.ceil(campaign / 500));
    for (const key of keys) expect(multicasts.filter((r) => r.headers['x-line-retry-key'] === key && r.status === 200).length).toBeLessThanOrEqual(1);
  }, 60_000);
});
