// erasePortal: with two portals holding data in every table, erasing one leaves nothing of it in any
// table and the other untouched. Rows are counted in every table the database has, on both engines.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPropertiesJob } from '../../backend/src/accounts/provision-properties-job.ts';
import { createTemplate } from '../../backend/src/templates/repository.ts';
import type { AppContext } from '../../backend/src/context.ts';
import { erasePortal } from '../../backend/src/install/erase-portal.ts';
import { readStoredTables } from '../../backend/src/install/stored-tables.ts';
import { enqueueProvisioning } from '../../backend/src/properties/provision-properties.ts';
import { engines } from '../support/databases.ts';
import { inboundWaiting } from '../support/inbound-world.ts';
import { connectLineAccount, eventually, installThroughBrowser, jobsSettled, startWorld, type World } from './harness.ts';

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

/** Waits until no event of the portal waits for its job and none of its jobs is queued or running: what its LINE users wrote is all stored. */
async function portalWorkDone(ctx: AppContext, portalId: number): Promise<void> {
  await eventually(async () => {
    // Waiting deliveries and events first: a dispatch that commits between the reads has its jobs seen by the last.
    const waiting = await inboundWaiting(ctx.db, portalId);
    const pending = await ctx.db('jobs').where({ portal_id: portalId }).whereIn('state', ['queued', 'running']).count({ n: '*' }).first();
    return waiting + Number(pending?.n) === 0;
  }, `the jobs of portal ${portalId} to finish`);
}

/**
 * A portal with data in every table a portal can have data in today, stored as production stores it: on
 * each of two connected accounts, a LINE user sends an image through the webhook (event, link, message,
 * media, conversation, reply token) and is in a group with the bot. No contacts are created: the erase
 * does not depend on them, and creating one waits out HubSpot's search index lag.
 */
async function populate(world: World): Promise<Owned> {
  const { ctx, line } = world;
  const portalId = world.hubspot.createPortal().portalId;
  await installThroughBrowser(world, portalId);
  const accounts = [await connectLineAccount(world, portalId, { autoCreateContacts: false }), await connectLineAccount(world, portalId, { autoCreateContacts: false })];
  // As the accounts feature does on connecting: the accounts' LINE properties exist before their users write.
  await enqueueProvisioning(ctx, portalId);
  await jobsSettled(ctx, provisionPropertiesJob.type, portalId);
  for (const { channel } of accounts) {
    const user = line.createUser().userId;
    const groupId = `C${randomBytes(16).toString('hex')}`;
    const events = [line.events.image(channel.channelId, user), line.events.join(channel.channelId, groupId, [user]), line.events.memberJoined(channel.channelId, groupId, [user])];
    expect((await line.deliver(channel.channelId, events)).status).toBe(200);
  }
  await portalWorkDone(ctx, portalId);
  const accountIds = accounts.map((a) => a.id);
  const idsOf = async (table: string) => (await ctx.db(table).whereIn('line_account_id', accountIds).pluck('id')).map(Number);
  const owned: Owned = { portalId, accounts: accountIds, links: await idsOf('line_links'), messages: await idsOf('messages') };
  await createTemplate(ctx, portalId, { name: 'Thanks', messages: [{ type: 'text', text: 'Thank you!' }] });
  await ctx.queue.enqueue({ type: 'test.some-portal-work', payload: { portalId }, portalId, delayMs: 3_600_000 });
  await ctx.queue.pausePortal(portalId, Date.now() + 60_000, 'test');
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
    const [a, b] = await Promise.all([populate(world), populate(world)]);
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
