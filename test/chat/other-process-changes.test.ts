// A web process's waiting chat panels and what a worker process changes (two backends on one database,
// as ROLE=web and ROLE=worker deployments run): every change the panel shows wakes them within the
// cross-process poll, not at the end of their wait.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { startChatWorld, type ChatWorld } from '../support/chat-world.ts';
import { startTestBackend, type TestBackend } from '../support/backend.ts';

describe.each(engines())('changes a worker process makes to what open panels show (%s)', (engine) => {
  let db: TestDatabase;
  let web: ChatWorld;
  let worker: TestBackend;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    web = await startChatWorld({ databaseUrl: db.url, env: { ROLE: 'web', LOG_LEVEL: 'error' } });
    const { hubspot } = web;
    worker = await startTestBackend({
      databaseUrl: db.url,
      env: { ROLE: 'worker', LOG_LEVEL: 'error' },
      lineBaseUrl: web.line.baseUrl,
      hubspot: { baseUrl: hubspot.baseUrl, appBaseUrl: hubspot.appBaseUrl, clientId: hubspot.clientId, clientSecret: hubspot.clientSecret, appId: hubspot.appId },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await web?.close();
    await db?.drop();
  });

  /** A panel of a portal of its own (nothing else wakes it), waiting the longest a request may, once its first look is done. */
  async function waitingPanel(o: { followStatus: 'following' | 'blocked' }) {
    const portalId = await web.installPortal();
    const account = await web.connectAccount(portalId);
    const contactId = Number(web.hubspot.portal(portalId).createObject('contacts', { firstname: 'Open', lastname: 'Panel' }).id);
    const user = await web.linkUser({ account, contactId, followStatus: o.followStatus });
    const looks: string[] = [];
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (/from [`"]messages[`"]/i.test(q.sql) && (q.bindings ?? []).includes(user.lineUserId)) looks.push(q.sql);
    };
    web.backend.ctx.db.on('query', onQuery);
    let answered: { status: number; body: any } | undefined;
    void web
      .api(`/api/contacts/${contactId}/messages/updates?accountId=${account.id}&after=0&since=${Date.now()}&waitMs=10000&followStatus=${o.followStatus}`, { portalId })
      .then((res) => (answered = res));
    // At least one look: the portal's links were just written, and the cross-process poll may wake the panel for
    // them once (it finds nothing new and waits on) before this check runs.
    await vi.waitFor(() => expect(looks.length).toBeGreaterThanOrEqual(1), { timeout: 5_000 });
    web.backend.ctx.db.off('query', onQuery);
    return { channelId: account.channel.channelId, lineUserId: user.lineUserId, answer: () => answered };
  }

  // Well inside the panel's 10 s wait: only a wake-up answers by then.
  const woken = { timeout: 6_000 };

  it('wakes a waiting panel when the worker stores a block', async () => {
    const panel = await waitingPanel({ followStatus: 'following' });
    await web.line.unfollow(panel.channelId, panel.lineUserId);
    await vi.waitFor(() => expect(panel.answer()).toMatchObject({ status: 200, body: { followStatus: 'blocked', messages: [] } }), woken);
  });

  it('wakes a waiting panel when the worker stores an unblock', async () => {
    const panel = await waitingPanel({ followStatus: 'blocked' });
    await web.line.follow(panel.channelId, panel.lineUserId);
    await vi.waitFor(() => expect(panel.answer()).toMatchObject({ status: 200, body: { followStatus: 'following', messages: [] } }), woken);
  });

  it('wakes a waiting panel when the worker stores a message', async () => {
    const panel = await waitingPanel({ followStatus: 'following' });
    await web.line.sendText(panel.channelId, panel.lineUserId, 'from the worker');
    await vi.waitFor(() => expect(panel.answer()?.body.messages.map((m: any) => m.content.text)).toEqual(['from the worker']), woken);
  });
});
