// The send-once algorithm every chat panel shares (backend/src/chat/send-once.ts), held to the same contract
// over HTTP for both chats it serves, a contact's 1:1 chat and a company's LINE group: the same send arriving
// twice at once is stored and delivered once; a failed send retried twice at once is one retry, with the
// message's original retry key, and LINE delivers it once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowWorld, type WorkflowWorld } from '../support/workflow-world.ts';

let w: WorkflowWorld;
beforeAll(async () => {
  w = await startWorkflowWorld();
});
afterAll(async () => w?.close());

const api = (path: string, body: object) => w.hubspotFetch(path, { portalId: w.portalId, method: 'POST', body });
const pushesOf = (text: string) => w.line.requests.filter((r) => r.path === '/v2/bot/message/push' && JSON.stringify(r.body).includes(text));

const chats = [
  {
    kind: "a contact's 1:1 chat",
    open: async () => {
      const [friend] = await w.addFriends(1);
      return { base: `/api/contacts/${friend.contactId}/messages`, to: friend.lineUserId };
    },
  },
  {
    kind: "a company's LINE group",
    open: async () => {
      const group = await w.addLinkedGroup();
      return { base: `/api/companies/${group.companyId}/messages`, to: group.groupId };
    },
  },
];

describe.each(chats)('sending once in $kind', ({ open }) => {
  it('stores and delivers the same send arriving twice at once once, answering both with the one message', async () => {
    const { base, to } = await open();
    const send = { accountId: w.account.id, clientMessageId: crypto.randomUUID(), text: 'Arriving twice' };
    const answers = await Promise.all([api(base, send), api(base, send)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(new Set(answers.map((a) => a.body.message.id)).size).toBe(1);
    expect(w.line.received(w.account.channel.channelId, to)).toHaveLength(1);
  });

  it('retries a failed send once when asked twice at once, with its original retry key', async () => {
    const { base, to } = await open();
    const channelId = w.account.channel.channelId;
    // The chat's reply token goes to a first message, so the next one is pushed.
    expect((await api(base, { accountId: w.account.id, clientMessageId: crypto.randomUUID(), text: 'First' })).body.message.status).toBe('sent');
    w.line.faults.inject({ path: '/v2/bot/message/push', status: 500, afterProcessing: true, times: 1 });
    const text = `Lost answer to ${to}`;
    const failed = await api(base, { accountId: w.account.id, clientMessageId: crypto.randomUUID(), text });
    expect(failed.body.message).toMatchObject({ status: 'failed', canRetry: true });
    const retries = await Promise.all([1, 2].map(() => api(`${base}/${failed.body.message.id}/retry`, { accountId: w.account.id })));
    expect(retries.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(retries.find((r) => r.status === 409)!.body.error.code).toBe('not_retryable');
    expect(retries.find((r) => r.status === 200)!.body.message.status).toBe('sent');
    expect(new Set(pushesOf(text).map((r) => r.headers['x-line-retry-key'])).size).toBe(1);
    expect(w.line.received(channelId, to).filter((d) => JSON.stringify(d.messages).includes(text))).toHaveLength(1);
  });
});
