// Whether a LINE channel is connected to some HubSpot account is told only to a caller who holds the
// channel's credentials: a channel ID alone must not reveal it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './world.ts';

describe('adding a channel connected to another HubSpot account', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('sqlite');
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('answers the credentials error for wrong credentials, and 409 only once LINE accepted them', async () => {
    const { channel, form } = w.newChannel();
    expect((await w.connect(w.portalA, form)).operation.state).toBe('succeeded');
    const webhookBefore = w.line.channel(channel.channelId).webhookUrl;

    const guessedSecret = await w.connect(w.portalB, { ...form, channelSecret: 'f'.repeat(32) });
    expect(guessedSecret.operation.error).toMatchObject({ status: 422, code: 'invalid_channel_secret' });
    const guessedToken = await w.connect(w.portalB, { ...form, channelAccessToken: 'x'.repeat(40) });
    expect(guessedToken.operation.error).toMatchObject({ status: 422, code: 'invalid_access_token' });

    const owner = await w.connect(w.portalB, form);
    expect(owner.operation.error).toMatchObject({ status: 409, code: 'channel_connected_elsewhere' });
    expect(w.line.channel(channel.channelId).webhookUrl).toBe(webhookBefore);
    expect(await w.backend.ctx.db('line_accounts').where({ channel_id: channel.channelId })).toHaveLength(1);
  });
});
