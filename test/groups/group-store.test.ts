// The groups feature's storage, on SQLite and PostgreSQL: linking a group to a company (never twice, one
// group per company and account), the groups an agent may still pick, the group conversation log with
// its cursor and delivery states, and the group's reply token taken at most once.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../backend/src/accounts/repository.ts';
import { loadConfig } from '../../backend/src/config.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { PortalChanges } from '../../backend/src/db/portal-changes.ts';
import { groupMembers, recordGroupMembers, saveMemberProfile } from '../../backend/src/groups/group-members.ts';
import { recordBotInGroup, findGroupOfCompany, findGroupsOfCompany, linkGroup, storeGroupReplyToken, takeGroupReplyToken, unlinkGroup, unlinkedGroups, type GroupKey } from '../../backend/src/groups/groups.ts';
import {
  claimGroupMessageForRetry,
  findGroupMessage,
  findGroupMessageByClientId,
  groupPortalsChangedSince,
  insertOutboundGroupMessages,
  setGroupMessageRetryKey,
  groupHistoryPage,
  groupMessagesAfter,
  insertGroupChatMessage,
  insertInboundGroupMessage,
  lastGroupMessages,
  markGroupMessageFailed,
  markGroupMessageSent,
} from '../../backend/src/groups/group-messages.ts';
import { recordInstall } from '../../backend/src/hubspot/portals.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';

describe.each(engines())('group storage on %s', (engine) => {
  let testDb: TestDatabase;
  let db: Knex;
  let ctx: AppContext;
  let accountId: number;
  let otherAccountId: number;
  const portalId = 1;
  const gid = (c: string) => `C${c.repeat(32)}`;
  const key = (groupId: string, account = accountId): GroupKey => ({ portalId, accountId: account, groupId });
  const inbound = (groupId: string, lineMessageId: string, text: string, createdAt: number) => ({
    ...key(groupId),
    lineUserId: `U${'1'.repeat(32)}`,
    type: 'text',
    text,
    payload: JSON.stringify({ type: 'text', text }),
    lineMessageId,
    quoteToken: null,
    webhookEventId: null,
    createdAt,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    db = openDatabase(testDb.url);
    await migrateToLatest(db);
    const secrets = new SecretBox(randomBytes(32));
    await db.transaction((trx) => recordInstall(trx, secrets, { portalId, hubDomain: null, accessToken: 'x', refreshToken: 'x', expiresAt: 0, scopes: [], userId: null }, 0));
    const stored = (n: number) => ({ portalId, channelId: `12345678${n}0`, channelSecret: 'x', channelAccessToken: 'x', botUserId: 'Ubot', basicId: null, displayName: 'A', pictureUrl: null, webhookKey: `wk${n}`, loginKey: `lk${n}` });
    accountId = (await insertAccount({ db, secrets }, stored(1))).id;
    otherAccountId = (await insertAccount({ db, secrets }, stored(2))).id;
    ctx = { db, config: loadConfig({}), changes: new PortalChanges() } as AppContext;
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  it('links a group to one company only, and a company to one group of an account', async () => {
    for (const c of ['a', 'b']) await recordBotInGroup(ctx, key(gid(c)), 'group', true, 1_000);
    await recordBotInGroup(ctx, key(gid('a'), otherAccountId), 'group', true, 1_000);

    expect(await linkGroup(ctx, key(gid('a')), 501, 'card')).toBe('linked');
    expect(await linkGroup(ctx, key(gid('a')), 501, 'card')).toBe('linked'); // the same link again changes nothing
    expect(await linkGroup(ctx, key(gid('a')), 502, 'card')).toBe('group_already_linked');
    expect(await linkGroup(ctx, key(gid('b')), 501, 'card')).toBe('company_already_linked');
    expect(await linkGroup(ctx, key(gid('f')), 503, 'card')).toBe('no_such_group');
    // Another account's bot in the same group links on its own.
    expect(await linkGroup(ctx, key(gid('a'), otherAccountId), 501, 'auto_created')).toBe('linked');

    expect(await findGroupOfCompany(ctx, portalId, accountId, 501)).toMatchObject({ groupId: gid('a'), companyId: 501, linkedVia: 'card' });
    expect(await findGroupOfCompany(ctx, portalId + 1, accountId, 501)).toBeUndefined(); // another portal sees nothing
    expect((await findGroupsOfCompany(ctx, portalId, 501)).map((g) => g.accountId)).toEqual([accountId, otherAccountId]);
    expect((await unlinkedGroups(ctx, portalId, accountId)).map((g) => g.groupId)).toEqual([gid('b')]);

    expect(await unlinkGroup(ctx, key(gid('a')), 999)).toBe(false); // not that company's group
    expect(await unlinkGroup(ctx, key(gid('a')), 501)).toBe(true);
    expect(await linkGroup(ctx, key(gid('b')), 501, 'card')).toBe('linked');
    expect((await unlinkedGroups(ctx, portalId, accountId)).map((g) => g.groupId)).toEqual([gid('a')]);
  });

  it('lists for picking only groups the bot is still in, with their last message', async () => {
    for (const c of ['c', 'd']) await recordBotInGroup(ctx, key(gid(c)), 'group', true, 2_000);
    await recordBotInGroup(ctx, key(`R${'e'.repeat(32)}`), 'room', true, 2_000);
    await recordBotInGroup(ctx, key(gid('d')), 'group', false, 3_000);
    await insertInboundGroupMessage(ctx, inbound(gid('c'), '9001', 'first', 2_100));
    await insertInboundGroupMessage(ctx, inbound(gid('c'), '9002', 'latest', 2_200));
    const listed = (await unlinkedGroups(ctx, portalId, accountId)).map((g) => g.groupId);
    expect(listed).toContain(gid('c'));
    expect(listed).not.toContain(gid('d'));
    expect(listed).not.toContain(`R${'e'.repeat(32)}`);
    const last = await lastGroupMessages(ctx, portalId, accountId, [gid('c'), gid('d')]);
    expect(last.get(gid('c'))).toMatchObject({ text: 'latest', direction: 'inbound' });
    expect(last.has(gid('d'))).toBe(false);
  });

  it('keeps a group conversation: received once, chat sends once per client id, read after a cursor', async () => {
    const k = key(gid('9'));
    await recordBotInGroup(ctx, k, 'group', true, 4_000);
    const first = await insertInboundGroupMessage(ctx, inbound(gid('9'), '7001', 'hello', 4_100));
    expect(await insertInboundGroupMessage(ctx, inbound(gid('9'), '7001', 'hello', 4_100))).toMatchObject({ id: first.id, inserted: false });
    const send = { ...k, type: 'text', text: 'hi all', payload: JSON.stringify({ type: 'text', text: 'hi all' }), status: 'sending' as const, sentBy: 'user:7', senderName: 'Agent', createdAt: 4_200, clientMessageId: '5d0c8a0e-3b7e-4f43-9d1e-6a1f1f3f9a11' };
    const sent = (await insertGroupChatMessage(ctx, send))!;
    expect(await insertGroupChatMessage(ctx, send)).toBeUndefined();
    const failing = (await insertGroupChatMessage(ctx, { ...send, clientMessageId: '5d0c8a0e-3b7e-4f43-9d1e-6a1f1f3f9a12' }))!;

    const before = await groupMessagesAfter(ctx, k, first.id);
    expect(before.map((m) => [m.id, m.status])).toEqual([[sent, 'sending'], [failing, 'sending']]);
    // Rows carry the time they last changed; the sends change after everything stored so far.
    const marked = Date.now() + 1;
    await markGroupMessageSent(ctx, portalId, sent, { lineMessageId: '7002', quoteToken: 'q', via: 'reply', at: marked });
    await markGroupMessageFailed(ctx, portalId + 1, failing, 'nope', marked); // another portal's id: unchanged
    await markGroupMessageFailed(ctx, portalId, failing, 'LINE refused the message', marked);
    expect((await groupMessagesAfter(ctx, k, failing)).length).toBe(0);
    const changed = await groupMessagesAfter(ctx, k, failing, marked);
    expect(changed.map((m) => [m.id, m.status, m.sent_via, m.error])).toEqual([
      [sent, 'sent', 'reply', null],
      [failing, 'failed', null, 'LINE refused the message'],
    ]);
    const page = await groupHistoryPage(ctx, k, { limit: 2 });
    expect(page.rows.map((m) => m.id)).toEqual([sent, failing]);
    expect(page.hasMore).toBe(true);
    expect((await groupHistoryPage(ctx, k, { before: sent, limit: 2 })).rows.map((m) => m.text)).toEqual(['hello']);
  });

  it('records workflow sends with their retry keys, retries a failed send once, and tells which portals changed', async () => {
    const k = key(gid('7'));
    await recordBotInGroup(ctx, k, 'group', true, 6_000);
    const since = Date.now();
    const message = (text: string) => ({ ...k, type: 'text', text, payload: JSON.stringify({ type: 'text', text }), status: 'sending' as const, sentBy: 'workflow:42', senderName: 'Onboarding', createdAt: Date.now(), retryKey: '0b7a1c52-4f0e-4c3e-9a41-0d1c2b3a4f50' });
    const ids = await db.transaction((trx) => insertOutboundGroupMessages(ctx, [message('one'), message('two')], trx));
    expect((await findGroupMessage(ctx, portalId, ids[1]))).toMatchObject({ text: 'two', sent_by: 'workflow:42', retry_key: '0b7a1c52-4f0e-4c3e-9a41-0d1c2b3a4f50', direction: 'outbound' });
    expect(await findGroupMessage(ctx, portalId + 1, ids[1])).toBeUndefined();
    await setGroupMessageRetryKey(ctx, portalId, ids[0], '1b7a1c52-4f0e-4c3e-9a41-0d1c2b3a4f51');
    expect((await findGroupMessage(ctx, portalId, ids[0]))!.retry_key).toBe('1b7a1c52-4f0e-4c3e-9a41-0d1c2b3a4f51');
    await markGroupMessageFailed(ctx, portalId, ids[0], 'timeout', Date.now());
    expect(await claimGroupMessageForRetry(ctx, portalId, ids[0], 0, Date.now())).toBe(true);
    expect(await claimGroupMessageForRetry(ctx, portalId, ids[0], 0, Date.now())).toBe(false); // claimed already, and not stale
    expect((await groupPortalsChangedSince(ctx, since)).map((p) => p.portalId)).toEqual([portalId]);
    expect(await groupPortalsChangedSince(ctx, Date.now() + 60_000)).toEqual([]);
    expect(await findGroupMessageByClientId(ctx, portalId, '5d0c8a0e-3b7e-4f43-9d1e-6a1f1f3f9a11')).toMatchObject({ text: 'hi all' });
  });

  it("keeps members' names and pictures for the history, and who left", async () => {
    const k = key(gid('6'));
    const [a, b] = [`U${'a'.repeat(32)}`, `U${'b'.repeat(32)}`];
    await recordGroupMembers(ctx, k, [a, b], true, 7_000);
    await recordGroupMembers(ctx, k, [b], false, 7_500);
    await saveMemberProfile(ctx, k, a, { displayName: 'Aiko', pictureUrl: 'https://profile.line-scdn.net/0hA' }, 7_100);
    expect(await groupMembers(ctx, k)).toMatchObject([
      { lineUserId: a, displayName: 'Aiko', pictureUrl: 'https://profile.line-scdn.net/0hA', leftAt: null },
      { lineUserId: b, displayName: null, leftAt: 7_500 },
    ]);
    expect((await groupMembers(ctx, k, [b])).map((m) => m.lineUserId)).toEqual([b]);
    expect(await groupMembers(ctx, key(gid('6'), otherAccountId))).toEqual([]);
  });

  it('gives the group reply token to one send only, and not close to its expiry', async () => {
    const k = key(gid('8'));
    await recordBotInGroup(ctx, k, 'group', true, 5_000);
    const now = 1_800_000_000_000;
    expect(await storeGroupReplyToken(ctx, k, 'old', now - 1_000, now)).toBe(true);
    expect(await storeGroupReplyToken(ctx, k, 'older', now - 2_000, now)).toBe(false); // an older event's token never replaces a newer one
    expect(await storeGroupReplyToken(ctx, k, 'expired', now - 60_000, now)).toBe(false);
    expect(await takeGroupReplyToken(ctx, k, 10_000, now)).toBe('old');
    expect(await takeGroupReplyToken(ctx, k, 10_000, now)).toBeUndefined();
    await storeGroupReplyToken(ctx, k, 'late', now - 50_000, now);
    expect(await takeGroupReplyToken(ctx, k, 10_000, now)).toBeUndefined();
  });
});
