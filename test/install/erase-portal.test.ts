// erasePortal: with two portals holding data in every table, erasing one leaves nothing of it in any
// table and the other untouched. Rows are counted in every table the database has, on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from '../../backend/src/templates/repository.ts';
import { storeReplyToken } from '../../backend/src/chat/reply-tokens.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { updateConversation } from '../../backend/src/conversation/conversation-state.ts';
import { erasePortal } from '../../backend/src/install/erase-portal.ts';
import { readStoredTables } from '../../backend/src/install/stored-tables.ts';
import { saveMedia } from '../../backend/src/media/media-store.ts';
import { engines } from '../support/databases.ts';
import { insertLineAccount, insertLink, insertMessage, installThroughBrowser, lineUserId, startWorld, type World } from './harness.ts';

interface Owned {
  portalId: number;
  accounts: number[];
  links: number[];
  messages: number[];
}

/** Rows of one portal in every table: by portal_id, or by reference to its accounts, links or messages. */
async function countOwned(ctx: AppContext, owned: Owned): Promise<Record<string, number>> {
  const stored = await readStoredTables(ctx.db);
  const counts: Record<string, number> = {};
  for (const [table, columns] of stored.columns) {
    const q = ctx.db(table).where((w) => {
      w.whereRaw('1 = 0');
      if (columns.has('portal_id')) w.orWhere('portal_id', owned.portalId);
      if (columns.has('line_account_id')) w.orWhereIn('line_account_id', owned.accounts);
      if (columns.has('link_id')) w.orWhereIn('link_id', owned.links);
      if (columns.has('message_id')) w.orWhereIn('message_id', owned.messages);
    });
    counts[table] = Number((await q.count({ n: '*' }).first())?.n);
  }
  return counts;
}

async function countAll(ctx: AppContext): Promise<Record<string, number>> {
  const stored = await readStoredTables(ctx.db);
  const counts: Record<string, number> = {};
  for (const table of stored.columns.keys()) counts[table] = Number((await ctx.db(table).count({ n: '*' }).first())?.n);
  return counts;
}

/** A portal with data in every table a portal can have data in today. */
async function populate(world: World): Promise<Owned> {
  const { ctx } = world;
  const portalId = world.hubspot.createPortal().portalId;
  await installThroughBrowser(world, portalId);
  const owned: Owned = { portalId, accounts: [], links: [], messages: [] };
  const now = Date.now();
  for (const sequence of [1, 2]) {
    const accountId = await insertLineAccount(ctx, portalId, sequence);
    owned.accounts.push(accountId);
    for (let i = 0; i < 2; i++) {
      const user = lineUserId();
      const linkId = await insertLink(ctx, { portalId, accountId, lineUserId: user, contactId: 9000 + i });
      owned.links.push(linkId);
      const messageId = await insertMessage(ctx, { portalId, accountId, lineUserId: user, text: `hello ${i}` });
      owned.messages.push(messageId);
      await saveMedia(ctx, { messageId, portalId, contentType: 'image/png', bytes: Buffer.from('x') });
      await updateConversation(ctx, portalId, linkId, { unanswered: false });
      await ctx.db('inbound_events').insert({ webhook_event_id: `${portalId}-${accountId}-${i}`, portal_id: portalId, line_account_id: accountId, type: 'message', line_user_id: user, payload: '{}', event_timestamp: now, received_at: now });
      await storeReplyToken(ctx, accountId, { replyToken: `r${i}`, timestamp: now, mode: 'active', source: { type: 'user', userId: user } }, now);
      await ctx.db('line_group_members').insert({ portal_id: portalId, line_account_id: accountId, group_id: 'C1', line_user_id: user, updated_at: now });
    }
    await ctx.db('line_groups').insert({ portal_id: portalId, line_account_id: accountId, group_id: 'C1', kind: 'group', updated_at: now });
  }
  await createTemplate(ctx, portalId, { name: 'Thanks', messages: [{ type: 'text', text: 'Thank you!' }] });
  await ctx.queue.enqueue({ type: 'test.some-portal-work', payload: { portalId }, portalId, delayMs: 3_600_000 });
  await ctx.queue.pausePortal(portalId, now + 60_000, 'test');
  return owned;
}

describe.each(engines())('erasePortal on %s', (engine) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(engine);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('deletes every row of the erased portal in every table and leaves the other portal untouched', async () => {
    const a = await populate(world);
    const b = await populate(world);
    // A table a later feature might add: covered because it has portal_id.
    await world.ctx.db.schema.createTable('later_feature_rows', (t) => {
      t.increments('id');
      t.bigInteger('portal_id').notNullable();
      t.string('note', 20);
    });
    await world.ctx.db('later_feature_rows').insert([{ portal_id: a.portalId, note: 'a' }, { portal_id: b.portalId, note: 'b' }]);

    const totalBefore = await countAll(world.ctx);
    const aBefore = await countOwned(world.ctx, a);
    const bBefore = await countOwned(world.ctx, b);
    for (const table of ['portals', 'line_accounts', 'line_links', 'messages', 'media', 'conversations', 'inbound_events', 'line_reply_tokens', 'line_groups', 'line_group_members', 'message_templates', 'jobs', 'job_pauses', 'later_feature_rows']) {
      expect(aBefore[table], `portal A has rows in ${table}`).toBeGreaterThan(0);
    }

    const deleted = await erasePortal(world.ctx, a.portalId);
    expect(deleted.portals).toBe(1);

    const aAfter = await countOwned(world.ctx, a);
    const bAfter = await countOwned(world.ctx, b);
    const totalAfter = await countAll(world.ctx);
    for (const table of Object.keys(totalBefore)) {
      expect(aAfter[table], `rows of the erased portal left in ${table}`).toBe(0);
      expect(bAfter[table], `rows of the other portal in ${table}`).toBe(bBefore[table]);
      expect(totalAfter[table], `rows in ${table}`).toBe(totalBefore[table] - aBefore[table]);
    }
    await world.ctx.db.schema.dropTable('later_feature_rows');
  });
});
