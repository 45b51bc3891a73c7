// Which reply tokens the inbound worker keeps for the chat panel, and how a send takes one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase } from '../../backend/src/db/database.ts';
import { migrateToLatest } from '../../backend/src/db/migrate.ts';
import { storeReplyToken, takeReplyToken } from '../../backend/src/chat/reply-tokens.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { loadConfig } from '../../backend/src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('reply tokens', () => {
  let testDb: TestDatabase;
  let db: Knex;
  let ctx: AppContext;
  const now = 1_800_000_000_000;
  const user = `U${'a'.repeat(32)}`;
  const event = (o: Record<string, unknown> = {}) => ({ replyToken: 'b'.repeat(32), timestamp: now - 1_000, mode: 'active', source: { type: 'user', userId: user }, ...o });

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = openDatabase(testDb.url);
    await migrateToLatest(db);
    await db('portals').insert({ portal_id: 1, status: 'installed', access_token: 'x', refresh_token: 'x', access_token_expires_at: 0, installed_at: 0, updated_at: 0 });
    await db('line_accounts').insert({ id: 7, portal_id: 1, sequence: 1, channel_id: '1234567890', bot_user_id: 'Ubot', display_name: 'A', channel_secret: 'x', channel_access_token: 'x', webhook_key: 'wk', login_key: 'lk', created_at: 0, updated_at: 0 });
    ctx = { db, config: loadConfig({}) } as AppContext;
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.drop();
  });

  it('keeps the newest token of an active 1:1 event until shortly before LINE expires it, and a send takes it once', async () => {
    expect(await storeReplyToken(ctx, 7, event(), now)).toBe(true);
    expect(await storeReplyToken(ctx, 7, event({ replyToken: 'c'.repeat(32), timestamp: now }), now)).toBe(true);
    expect(await takeReplyToken(ctx, 7, user, now)).toBe('c'.repeat(32));
    expect(await takeReplyToken(ctx, 7, user, now)).toBeUndefined();
  });

  it('keeps nothing for standby, redelivered, group or already expired events', async () => {
    expect(await storeReplyToken(ctx, 7, event({ mode: 'standby' }), now)).toBe(false);
    expect(await storeReplyToken(ctx, 7, event({ deliveryContext: { isRedelivery: true } }), now)).toBe(false);
    expect(await storeReplyToken(ctx, 7, event({ source: { type: 'group', groupId: 'Cgroup', userId: user } }), now)).toBe(false);
    expect(await storeReplyToken(ctx, 7, event({ timestamp: now - 60_000 }), now)).toBe(false);
    expect(await storeReplyToken(ctx, 7, event({ replyToken: undefined }), now)).toBe(false);
    expect(await db('line_reply_tokens')).toHaveLength(0);
  });
});
