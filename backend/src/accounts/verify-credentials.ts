// Checks a Messaging API channel's ID, secret and long-lived access token with LINE before anything is saved.
//
// The secret is checked by asking LINE for a stateless channel access token (POST /oauth2/v3/token with
// client_credentials): LINE issues one only when the channel ID and secret belong together. This answers
// at once and needs nothing from our own webhook route (the alternative, LINE's webhook test plus a
// signature check on our side, would fail for reasons unrelated to the secret, e.g. PUBLIC_BASE_URL not
// reachable yet). Stateless tokens have no issue limit and expire in 15 minutes; we do not keep them.
// The long-lived token is checked with GET /v2/bot/info, and both tokens must name the same bot:
// a valid token of another channel would otherwise be stored next to this channel's secret.
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { issueStatelessChannelToken } from '../line/channel-tokens.ts';
import { LineApiError, lineChannel } from '../line/line-channel.ts';
import { lineErrorMessage } from './line-errors.ts';

export interface ChannelCredentials {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
}

export interface VerifiedBot {
  botUserId: string;
  basicId: string | null;
  displayName: string;
  pictureUrl: string | null;
}

const lineUnavailable = (error: unknown) =>
  new HttpError(502, 'line_unavailable', `Could not check the credentials with LINE: ${lineErrorMessage(error)}. Nothing was saved; try again.`);

async function botInfo(config: Config, accessToken: string) {
  return lineChannel(config, accessToken).call('bot info', (c) => c.messaging.getBotInfo(), { timeoutMs: config.timings.line.credentialCheckTimeoutMs });
}

/** Resolves with the bot the credentials belong to; rejects with a 422 naming the wrong value, or 502 when LINE is unreachable. */
export async function verifyChannelCredentials(config: Config, creds: ChannelCredentials): Promise<VerifiedBot> {
  let statelessToken: string;
  try {
    statelessToken = await issueStatelessChannelToken(config, creds, { timeoutMs: config.timings.line.credentialCheckTimeoutMs });
  } catch (error) {
    if (error instanceof LineApiError && (error.status === 400 || error.isAuth)) {
      throw new HttpError(422, 'invalid_channel_secret', 'LINE does not accept this channel ID and channel secret together. Copy both from the Messaging API channel’s "Basic settings" tab.');
    }
    throw lineUnavailable(error);
  }

  let bot: Awaited<ReturnType<typeof botInfo>>;
  try {
    bot = await botInfo(config, creds.channelAccessToken);
  } catch (error) {
    if (error instanceof LineApiError && (error.isAuth || error.status === 403)) {
      throw new HttpError(422, 'invalid_access_token', 'LINE rejected the channel access token. Issue a long-lived channel access token in the "Messaging API" tab and paste it again.');
    }
    throw lineUnavailable(error);
  }

  let channelBot: Awaited<ReturnType<typeof botInfo>>;
  try {
    channelBot = await botInfo(config, statelessToken);
  } catch (error) {
    throw lineUnavailable(error);
  }
  if (channelBot.userId !== bot.userId) {
    throw new HttpError(422, 'token_of_another_channel', 'The channel access token belongs to a different LINE channel than the channel ID and secret.');
  }
  return { botUserId: bot.userId, basicId: bot.basicId ?? null, displayName: bot.displayName, pictureUrl: bot.pictureUrl ?? null };
}
