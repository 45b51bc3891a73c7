// Saved chat texts become message templates: a database as the previous release left it (migrations before
// 910, rows in chat_templates) is upgraded by the backend's own start-up, and the chat panel's and the
// workflow editor's template lists then show every saved text with its id, name and text.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../backend/src/crypto/secret-box.ts';
import { openDatabase } from '../../backend/src/db/database.ts';
import { recordInstall } from '../../backend/src/hubspot/portals.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { TEST_ENCRYPTION_KEY } from '../support/backend.ts';
import { startBackendWithEmulators, type BackendWithEmulators } from '../support/world.ts';

const MIGRATIONS = join(import.meta.dirname, '../../backend/src/db/migrations');
const FIRST_TEMPLATES_MIGRATION = '910-message-templates.ts';

/** Applies the migrations the previous release shipped, under the table name the backend uses. */
async function migrateToPreviousRelease(db: Knex): Promise<void> {
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d{3}-[a-z0-9-]+\.ts$/.test(f) && f < FIRST_TEMPLATES_MIGRATION).sort();
  await db.migrate.latest({
    tableName: 'schema_migrations',
    migrationSource: {
      getMigrations: async () => files,
      getMigrationName: (file: string) => file.replace(/\.ts$/, ''),
      getMigration: async (file: string) => import(pathToFileURL(join(MIGRATIONS, file)).href),
    },
  });
}

let testDb: TestDatabase | undefined;
let world: BackendWithEmulators | undefined;
afterEach(async () => {
  await world?.close();
  await testDb?.drop();
  world = undefined;
  testDb = undefined;
});

describe.each(engines())('saved chat texts on %s', (engine) => {
  it('are message templates of one text message after the upgrade, same ids and names; new ones get new ids', async () => {
    testDb = await createTestDatabase(engine);
    const db = openDatabase(testDb.url);
    await migrateToPreviousRelease(db);
    const portalId = 880_000 + Math.floor(Math.random() * 1000);
    // The backend started below must open these tokens: start-up refuses secrets sealed with an unknown key.
    const secrets = new SecretBox(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'));
    await db.transaction((trx) => recordInstall(trx, secrets, { portalId, hubDomain: null, accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3_600_000, scopes: [], userId: null }, Date.now()));
    // The code that wrote chat_templates is replaced by this change, so its rows are written here exactly as
    // its createTemplate wrote them.
    const saved = [
      { id: 7, name: 'Opening hours', text: 'We are open 10:00-19:00.\nClosed on Mondays.' },
      { id: 12, name: 'お礼', text: 'ご連絡ありがとうございます！' },
    ];
    await db('chat_templates').insert(saved.map((s) => ({ ...s, portal_id: portalId, created_by_user_id: 5, created_at: 1_700_000_000_000 })));
    await db.destroy();

    world = await startBackendWithEmulators({ databaseUrl: testDb.url });
    const list = await world.hubspotFetch('/api/templates', { portalId });
    expect(list.status).toBe(200);
    expect(list.body.templates).toEqual([
      { id: 7, name: 'Opening hours', messages: [{ type: 'text', text: 'We are open 10:00-19:00.\nClosed on Mondays.' }], updatedAt: 1_700_000_000_000 },
      { id: 12, name: 'お礼', messages: [{ type: 'text', text: 'ご連絡ありがとうございます！' }], updatedAt: 1_700_000_000_000 },
    ]);
    const created = await world.hubspotFetch('/api/templates', { portalId, body: { name: 'New', messages: [{ type: 'text', text: 'after the upgrade' }] } });
    expect(created.status).toBe(201);
    expect(created.body.template.id).toBeGreaterThan(12);
    expect(await world.ctx.db.schema.hasTable('chat_templates')).toBe(false);
  });
});
