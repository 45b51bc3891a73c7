// The company's group chat panels and the contacts' 1:1 chat panels of one portal share one limit of held
// update requests (CHAT_HELD_POLLS_PER_PORTAL): every held request stays in flight and counts against
// hubspot.fetch's 20 concurrent requests of the portal, whichever card made it. Past the limit, a panel of
// either kind is answered at once and told when to ask again.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
beforeAll(async () => {
  w = await startWorkflowWorld();
});
afterAll(async () => w?.close());

type Answer = { status: number; body: { messages: Array<{ content: { text?: string } }>; nextPollMs: number } };

describe('held update requests of 1:1 and group chat panels', () => {
  it('never holds more than the portal limit for both kinds together; the others are answered at once', async () => {
    const limit = w.ctx.config.CHAT_HELD_POLLS_PER_PORTAL;
    const channelId = w.account.channel.channelId;
    const groupPanels = Math.ceil((limit + 2) / 2);
    const friends = await w.addFriends(limit + 2 - groupPanels);
    const group = await w.addLinkedGroup();
    const since = Date.now();
    const query = `accountId=${w.account.id}&after=0&since=${since}&waitMs=10000`;
    const oneToOne = friends.map((f) => ({ path: `/api/contacts/${f.contactId}/messages/updates?${query}`, text: `for ${f.lineUserId}`, wake: () => w.line.sendText(channelId, f.lineUserId, `for ${f.lineUserId}`) }));
    // Agents with the same company open: one member writing answers all of them.
    const writeInGroup = () => w.line.sendText(channelId, group.memberIds[0], 'for the group', { groupId: group.groupId });
    const inGroup = Array.from({ length: groupPanels }, () => ({ path: `/api/companies/${group.companyId}/messages/updates?${query}`, text: 'for the group', wake: writeInGroup }));
    const panels = [...oneToOne, ...inGroup];
    const answered: number[] = [];
    const requests = panels.map((p, i) => w.hubspotFetch(p.path, { portalId: w.portalId }).then((res: Answer) => (answered.push(i), res)));

    await vi.waitFor(() => expect(answered).toHaveLength(2), { timeout: 5_000 });
    for (const i of answered) {
      const { status, body } = await requests[i];
      expect([status, body.messages]).toEqual([200, []]);
      expect(body.nextPollMs).toBeGreaterThan(0);
    }

    const held = panels.map((_, i) => i).filter((i) => !answered.includes(i));
    expect(held).toHaveLength(limit);
    for (const wake of new Set(held.map((i) => panels[i].wake))) await wake();
    const woken = await Promise.all(held.map((i) => requests[i]));
    expect(woken.map(({ body }) => [body.messages.map((m) => m.content.text), body.nextPollMs])).toEqual(held.map((i) => [[panels[i].text], 0]));
  });
});
