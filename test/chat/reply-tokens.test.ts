// Which reply tokens the inbound worker keeps for the chat panel, and how a send takes one.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { insertAccount } from '../../backend/src/accounts/repository.ts';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { recordInstall } from '../../backend/src/hubspot/portals.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { storeReplyToken, takeReplyToken } from '../../backend/src/chat/reply-tokens.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { loadConfig } from '../../backend/src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('reply tokens', () => {
  let testDb: TestDatabase;
  let db: Knex;
  let ctx: AppContext;
  let accountId: number;
  const now = 1_800_000_000_000;
  const user = `U${'a'.repeat(32)}`;
  const event = (o: Record<string, unknown> = {}) => ({ replyToken: 'b'.repeat(32), timestamp: now - 1_000, mode: 'active', source: { type: 'user', userId: user }, ...o });

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = openDatabase(testDb.url);
    await migrateToLatest(db);
    const secrets = new SecretBox(randomBytes(32));
    await db.transaction((trx) => recordInstall(trx, secrets, { portalId: 1, hubDomain: null, accessToken: 'x', refreshToken: 'x', expiresAt: 0, scopes: [], userId: null }, 0));
    const stored = { portalId: 1, channelId: '1234567890', channelSecret: 'x', channelAccessToken: 'x', botUserId: 'Ubot', basicId: null, displayName: 'A', pictureUrl: null, webhookKey: 'wk', loginKey: 'lk' };
    accountId = (await insertAccount({ db, secrets }, stored)).id;
    ctx = { db, config: loadConfig({}) } as AppContext;
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  it('keeps the newest token of an active 1:1 event until shortly before LINE expires it, and a send takes it once', async () => {
    expect(await storeReplyToken(ctx, accountId, event(), now)).toBe(true);
    expect(await storeReplyToken(ctx, accountId, event({ replyToken: 'c'.repeat(32), timestamp: now }), now)).toBe(true);
    expect(await takeReplyToken(ctx, accountId, user, now)).toBe('c'.repeat(32));
    expect(await takeReplyToken(ctx, accountId, user, now)).toBeUndefined();
  });

  it('keeps nothing for standby, redelivered, group or already expired events', async () => {
    expect(await storeReplyToken(ctx, accountId, event({ mode: 'standby' }), now)).toBe(false);
    expect(await storeReplyToken(ctx, accountId, event({ deliveryContext: { isRedelivery: true } }), now)).toBe(false);
    expect(await storeReplyToken(ctx, accountId, event({ source: { type: 'group', groupId: 'Cgroup', userId: user } }), now)).toBe(false);
    expect(await storeReplyToken(ctx, accountId, event({ timestamp: now - 60_000 }), now)).toBe(false);
    expect(await storeReplyToken(ctx, accountId, event({ replyToken: undefined }), now)).toBe(false);
    expect(await db('line_reply_tokens')).toHaveLength(0);
  });
});
