// The workflow action under HubSpot's duplicates and retries (the same callbackId many times at once, answers
// lost after the execution was stored), and the workflow's name on what a send leaves behind: the chat
// history and the timeline, read from HubSpot's automation API once per workflow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/inbound-world.ts';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
beforeEach(async () => {
  w = await startWorkflowWorld();
});
afterEach(async () => w?.close());

const completions = (callbackId: string) => w.hubspot.portal(w.portalId).callbacksCompleted().filter((c) => c.callbackId === callbackId);
const received = (lineUserId: string) => w.line.received(w.account.channel.channelId, lineUserId);
const answerOf = (e: { attempts: Array<{ body: unknown }> }) => (e.attempts.at(-1)!.body as { outputFields: Record<string, string> }).outputFields;
const flowReads = (workflowId: number) => w.hubspot.calls.filter((c) => c.method === 'GET' && c.path === `/automation/v4/flows/${workflowId}`);

async function allCompleted(callbackIds: string[]): Promise<void> {
  await waitUntil(() => callbackIds.every((id) => completions(id).length > 0), 'every execution completed');
  await w.idle();
}

async function history(contactId: number) {
  const res = await w.hubspotFetch(`/api/contacts/${contactId}/messages?accountId=${w.account.id}`, { portalId: w.portalId });
  expect(res.status).toBe(200);
  return res.body.messages as Array<{ direction: string; content: { text?: string }; sender: { kind: string; name: string | null } | null }>;
}

describe('exactly once', () => {
  it('stores, sends and completes once when HubSpot sends the same callbackId many times at once', async () => {
    const [friend] = await w.addFriends(1);
    const callbackId = 'duplicated-callback';
    const copies = await Promise.all(Array.from({ length: 12 }, () => w.execute(friend.contactId, { message_1: 'Once, however often asked' }, { callbackId })));
    for (const copy of copies) {
      expect(copy.attempts.map((a) => a.status)).toEqual([200]);
      expect(answerOf(copy)).toEqual({ hs_execution_state: 'BLOCK' });
    }
    await allCompleted([callbackId]);
    expect(await w.ctx.db('workflow_executions').where({ callback_id: callbackId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect(received(friend.lineUserId)).toHaveLength(1);
    expect(completions(callbackId)).toHaveLength(1);
  });

  it('answers a retry after a lost answer with the stored execution and sends once', async () => {
    const friends = await w.addFriends(3);
    const executions = await Promise.all(friends.map((f) => w.execute(f.contactId, { message_1: 'Lost on the way back' }, { lostAnswers: 2 })));
    for (const e of executions) {
      expect(e.attempts).toHaveLength(3);
      // Still being sent (BLOCK), or already sent: the retry finds the stored execution either way.
      expect([{ hs_execution_state: 'BLOCK' }, { line_delivery: 'sent', line_error: '', hs_execution_state: 'SUCCESS' }]).toContainEqual(answerOf(e));
    }
    await allCompleted(executions.map((e) => e.callbackId));
    for (const f of friends) expect(received(f.lineUserId)).toHaveLength(1);
    for (const e of executions) expect(completions(e.callbackId)).toHaveLength(1);
  });

  it('answers a duplicate of a known outcome with that outcome, from any batch', async () => {
    const unlinked = w.hubspot.portal(w.portalId).createObject('contacts', { email: 'nobody@example.com' });
    const callbackId = 'known-outcome';
    const [first, ...again] = await Promise.all(Array.from({ length: 5 }, () => w.execute(Number(unlinked.id), { message_1: 'Hello' }, { callbackId })));
    const later = await w.execute(Number(unlinked.id), { message_1: 'Hello' }, { callbackId });
    for (const e of [first, ...again, later]) expect(answerOf(e)).toMatchObject({ line_delivery: 'not_linked', hs_execution_state: 'SUCCESS' });
  });
});

describe("the workflow's name", () => {
  it('signs the chat history and the timeline with the name HubSpot gives, read once for every execution of the workflow', async () => {
    w.hubspot.portal(w.portalId).addWorkflow({ id: 5150, name: 'Spring campaign' });
    const friends = await w.addFriends(3);
    // Personalised messages: one push per friend, so the name is needed by three separate sends.
    const executions = await Promise.all(friends.map((f, i) => w.execute(f.contactId, { message_1: `Hello #${i}` }, { workflowId: 5150 })));
    await allCompleted(executions.map((e) => e.callbackId));

    for (const [i, f] of friends.entries()) {
      const sent = (await history(f.contactId)).find((m) => m.content.text === `Hello #${i}`);
      expect(sent).toMatchObject({ direction: 'outbound', sender: { kind: 'workflow', name: 'Spring campaign' } });
    }
    await waitUntil(() => w.hubspot.portal(w.portalId).timelineEvents().length >= friends.length, 'the sends on the timeline');
    const events = w.hubspot.portal(w.portalId).timelineEvents();
    expect(events.map((e) => e.tokens.sent_by)).toEqual(friends.map(() => 'Spring campaign'));
    expect(flowReads(5150)).toHaveLength(1);
  });

  it('signs with "Workflow <id>" when HubSpot does not know the workflow, and asks once', async () => {
    const friends = await w.addFriends(2);
    const executions = await Promise.all(friends.map((f, i) => w.execute(f.contactId, { message_1: `Hi #${i}` }, { workflowId: 404 })));
    await allCompleted(executions.map((e) => e.callbackId));
    for (const [i, f] of friends.entries()) {
      const sent = (await history(f.contactId)).find((m) => m.content.text === `Hi #${i}`);
      expect(sent?.sender).toEqual({ kind: 'workflow', name: 'Workflow 404' });
    }
    expect(flowReads(404).map((c) => c.status)).toEqual([404]);
  });
});
