// Rotating ENCRYPTION_KEY: a backend started with a new key and the old one in ENCRYPTION_PREVIOUS_KEYS
// re-seals every stored secret with the new key, so the old key can then be removed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount, insertAccount, updateAccount } from '../../backend/src/accounts/repository.ts';
import { keyId } from '../../backend/src/crypto/secret-box.ts';
import { accessTokenFor } from '../../backend/src/hubspot/portal-tokens.ts';
import { tokenSecretContext } from '../../backend/src/hubspot/portals.ts';
import { saveInstall } from '../../backend/src/install/save-install.ts';
import { keyRotationFeature } from '../../backend/src/key-rotation/feature.ts';
import { startTestBackend, type TestBackend } from '../support/backend.ts';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.ts';
import { waitUntil } from '../support/inbound-world.ts';

const newKey = () => randomBytes(32).toString('base64');
const secret = () => randomBytes(24).toString('base64url');

describe.each(engines())('key rotation on %s', (engine) => {
  let db: TestDatabase;
  const keyA = newKey();
  const keyB = newKey();
  const portals = [700001, 700002].map((portalId) => ({ portalId, accessToken: secret(), refreshToken: secret() }));
  const channels = Array.from({ length: 3 }, (_, i) => ({ channelId: String(1650000000 + i), channelSecret: secret(), channelAccessToken: secret(), loginChannelSecret: secret() }));
  const accountIds: Array<{ portalId: number; id: number }> = [];

  // Only the feature under test: the install's own jobs (provisioning, checks) would call HubSpot.
  const start = (env: Record<string, string>) => startTestBackend({ databaseUrl: db.url, features: [keyRotationFeature], env });
  const sealedValues = async (backend: TestBackend) => [
    ...(await backend.ctx.db('portals').select('access_token', 'refresh_token')).flatMap((r) => [r.access_token, r.refresh_token]),
    ...(await backend.ctx.db('line_accounts').select('channel_secret', 'channel_access_token', 'login_channel_secret')).flatMap((r) => [r.channel_secret, r.channel_access_token, r.login_channel_secret]),
  ] as string[];
  const keyIdsOf = async (backend: TestBackend) => new Set((await sealedValues(backend)).map((v) => v.split(':')[1]));
  const resealLogs = (backend: TestBackend) => backend.logs.filter((l) => l.msg === 'secrets re-sealed');

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const before = await start({ ENCRYPTION_KEY: keyA });
    try {
      const { ctx } = before;
      for (const p of portals) {
        await saveInstall(ctx, { portalId: p.portalId, scopes: ['crm.objects.contacts.read'], tokens: { accessToken: p.accessToken, refreshToken: p.refreshToken, expiresAt: Date.now() + 3_600_000 } });
      }
      for (const [i, c] of channels.entries()) {
        const portalId = portals[i % portals.length].portalId;
        const account = await insertAccount(ctx, {
          portalId,
          channelId: c.channelId,
          channelSecret: c.channelSecret,
          channelAccessToken: c.channelAccessToken,
          botUserId: `U${randomBytes(16).toString('hex')}`,
          basicId: null,
          displayName: `Shop ${i}`,
          pictureUrl: null,
          webhookKey: secret(),
          loginKey: secret(),
        });
        await updateAccount(ctx, portalId, account.id, { loginChannelId: String(2000000000 + i), loginChannelSecret: c.loginChannelSecret });
        accountIds.push({ portalId, id: account.id });
      }
      expect(await keyIdsOf(before)).toEqual(new Set([keyId(Buffer.from(keyA, 'base64'))]));
      expect(await ctx.db('jobs').where({ type: 'secrets.reseal' })).toHaveLength(0);
    } finally {
      await before.stop();
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('re-seals every secret with the new key at start-up, logging counts and never a secret', async () => {
    const rotating = await start({ ENCRYPTION_KEY: keyB, ENCRYPTION_PREVIOUS_KEYS: keyA });
    try {
      await waitUntil(() => resealLogs(rotating).length > 0, 'the secrets are re-sealed');
      expect(resealLogs(rotating)[0]).toMatchObject({ resealed: { portalTokens: 4, lineAccountSecrets: 9 }, unreadable: 0, keyId: keyId(Buffer.from(keyB, 'base64')) });
      expect(await keyIdsOf(rotating)).toEqual(new Set([keyId(Buffer.from(keyB, 'base64'))]));
      const logs = rotating.logText();
      for (const value of [...portals.flatMap((p) => [p.accessToken, p.refreshToken]), ...channels.flatMap((c) => [c.channelSecret, c.channelAccessToken, c.loginChannelSecret]), keyA, keyB]) {
        expect(logs).not.toContain(value);
      }
    } finally {
      await rotating.stop();
    }
  });

  it('runs again at the next start while an old key is configured, changing nothing', async () => {
    const again = await start({ ENCRYPTION_KEY: keyB, ENCRYPTION_PREVIOUS_KEYS: keyA });
    try {
      const states = () => again.ctx.db('jobs').where({ type: 'secrets.reseal' }).orderBy('id').pluck('state');
      await waitUntil(async () => (await states()).join() === 'done,done', 'the secrets are checked again');
      expect(resealLogs(again)).toHaveLength(1);
      expect(resealLogs(again)[0]).toMatchObject({ resealed: { portalTokens: 0, lineAccountSecrets: 0 }, unreadable: 0 });
    } finally {
      await again.stop();
    }
  });

  it('leaves a backend with only the new key able to read everything', async () => {
    const after = await start({ ENCRYPTION_KEY: keyB });
    try {
      const { ctx } = after;
      for (const [i, c] of channels.entries()) {
        const account = await findAccount(ctx, accountIds[i].portalId, accountIds[i].id);
        expect(account).toMatchObject({ channelSecret: c.channelSecret, channelAccessToken: c.channelAccessToken, loginChannelSecret: c.loginChannelSecret });
      }
      for (const p of portals) {
        expect(await accessTokenFor(ctx, p.portalId)).toBe(p.accessToken);
        const row = await ctx.db('portals').where({ portal_id: p.portalId }).first();
        expect(ctx.secrets.open(row.refresh_token, tokenSecretContext(p.portalId, 'refresh_token'))).toBe(p.refreshToken);
      }
      expect(await ctx.db('jobs').where({ type: 'secrets.reseal' })).toHaveLength(2);
    } finally {
      await after.stop();
    }
  });
});
