// Failed jobs on the settings page, made the way production makes them (a LINE user writes while HubSpot
// refuses the contact): said by what they were for and why, with a retry only when it can succeed, in
// English and Japanese.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startInboundWorld, waitUntil, type InboundAccount, type InboundWorld } from '../support/inbound-world.ts';
import { renderSettingsPage, type PageHarness } from './page-harness.tsx';

const WAIT = { timeoutInMs: 20_000 };

describe('settings page: failed jobs in words', () => {
  let database: TestDatabase;
  let world: InboundWorld;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    world = await startInboundWorld({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  async function deadLetteredMessage(account: InboundAccount) {
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts/batch/create', status: 400 });
    world.hubspot.faults.inject({ path: '/crm/v3/objects/contacts', method: 'POST', status: 400 });
    const user = world.line.createUser({ displayName: 'Refused Customer' });
    await world.line.sendText(account.channel.channelId, user.userId, 'hello?');
    await waitUntil(async () => (await world.ctx.db('jobs').where({ line_account_id: account.id, state: 'dead' })).length > 0, 'the inbound job to be dead-lettered');
    world.hubspot.faults.clear();
  }

  const failedGroup = (page: PageHarness, id: number) => page.findByTestId(Flex, `failed-inbound_messages-${id}`).findAll(Text).map((text) => text.text);

  it('says what did not happen and why, and retries when asked', async () => {
    const account = await world.connectAccount();
    await deadLetteredMessage(account);
    const page = renderSettingsPage(world, { portalId: world.portal.portalId });
    await page.waitFor(() => expect(page.findByTestId(Text, `health-detail-${account.id}`).text).toContain('1 job failed'), WAIT);
    expect(failedGroup(page, account.id)).toEqual([
      '1 message could not be written to HubSpot',
      'HubSpot refused the data (for example a property value it does not accept). If a retry fails again, check the LINE contact properties in HubSpot.',
    ]);
    expect(page.getRootNode().toString()).not.toContain('inbound.event');

    page.findByTestId(LoadingButton, `retry-failed-${account.id}`).trigger('onClick');
    await page.waitFor(() => expect(page.addAlert).toHaveBeenCalledWith({ message: '1 job queued again.', type: 'success' }), WAIT);
    await world.idle();
    expect(await world.ctx.db('jobs').where({ line_account_id: account.id, state: 'dead' })).toHaveLength(0);
  });

  it('does not offer a retry while LINE refuses the token, and says why, in Japanese', async () => {
    const account = await world.connectAccount();
    await deadLetteredMessage(account);
    world.line.channel(account.channel.channelId).accessToken = 'revoked-in-the-console';
    const page = renderSettingsPage(world, { portalId: world.portal.portalId, locale: 'ja-JP' });
    await page.waitFor(() => expect(page.findByTestId(Text, `retry-not-offered-${account.id}`).text).toBe(
      'LINE がアクセストークンを拒否している間は再実行できません。先にトークンを差し替えてください。',
    ), WAIT);
    expect(failedGroup(page, account.id)[0]).toBe('1件のメッセージを HubSpot に書き込めませんでした');
    expect(page.findAll(LoadingButton, { testId: `retry-failed-${account.id}` })).toHaveLength(0);
  });
});
