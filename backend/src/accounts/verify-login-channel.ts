// Checks LINE Login settings with LINE before they are saved, as far as LINE allows without a user:
// - the channel ID and secret belong together: LINE issues a stateless channel access token for them;
// - the LIFF app, when given, belongs to this Login channel (LIFF server API, with that token), and
//   whether its endpoint URL is this account's LIFF page and its scopes include email.
// What only a real login shows is not checked: the callback URL registered in the channel, whether the
// channel has the email permission, and which LINE Official Account it offers as a friend.
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { liffAppsOf } from '../line/liff-apps.ts';
import { LineApiError } from '../line/line-channel.ts';
import { lineErrorMessage } from './line-errors.ts';

export interface LoginChannelCheck {
  /** LINE issued a token for the channel ID and secret together. */
  credentials: 'verified';
  /** The LIFF app as LINE has it, when a LIFF ID is set. */
  liff: { liffId: string; endpointUrl: string; endpointMatches: boolean; emailScope: boolean } | null;
}

export async function verifyLoginChannel(config: Config, o: { channelId: string; channelSecret: string; liffId: string | null; liffEndpointUrl: string }): Promise<LoginChannelCheck> {
  let apps;
  try {
    apps = await liffAppsOf(config, { channelId: o.channelId, channelSecret: o.channelSecret }, { timeoutMs: config.timings.line.loginSettingsCheckTimeoutMs });
  } catch (error) {
    if (error instanceof LineApiError && (error.status === 400 || error.isAuth)) {
      throw new HttpError(422, 'invalid_login_channel', 'LINE does not accept this LINE Login channel ID and channel secret together. Copy both from the LINE Login channel’s "Basic settings" tab.');
    }
    throw new HttpError(502, 'line_unavailable', `Could not check the LINE Login channel with LINE: ${lineErrorMessage(error)}. Nothing was saved; try again.`);
  }
  if (o.liffId === null) return { credentials: 'verified', liff: null };
  const app = apps.find((a) => a.liffId === o.liffId);
  if (!app) {
    throw new HttpError(422, 'liff_not_in_channel', `LINE has no LIFF app ${o.liffId} in this LINE Login channel. Copy the LIFF ID from the channel’s "LIFF" tab.`);
  }
  return {
    credentials: 'verified',
    liff: { liffId: app.liffId, endpointUrl: app.endpointUrl, endpointMatches: app.endpointUrl === o.liffEndpointUrl, emailScope: app.scopes.includes('email') },
  };
}
