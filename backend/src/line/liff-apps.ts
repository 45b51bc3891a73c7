// The LIFF apps of a LINE Login channel (LIFF server API, GET /liff/v1/apps), read with a stateless
// channel access token issued for the Login channel: the one way to check a Login channel's ID and
// secret, and its LIFF apps, without a user logging in.
import { liff } from './line-sdk.ts';
import type { Config } from '../config.ts';
import { issueStatelessChannelToken } from './channel-tokens.ts';
import { callLine, LineApiError, type LineCallOptions } from './line-channel.ts';

export interface LiffAppInfo {
  liffId: string;
  endpointUrl: string;
  scopes: string[];
}

/** Rejects with a LineApiError from the token endpoint when LINE does not accept the channel ID and secret together. */
export async function liffAppsOf(config: Config, channel: { channelId: string; channelSecret: string }, options: LineCallOptions = {}): Promise<LiffAppInfo[]> {
  const token = await issueStatelessChannelToken(config, channel, options);
  const client = new liff.LiffClient({ channelAccessToken: token, baseURL: config.LINE_API_BASE_URL });
  try {
    const answer = await callLine('LIFF apps', () => client.getAllLIFFApps(), options);
    return (answer.apps ?? []).flatMap((app) => (app.liffId ? [{ liffId: app.liffId, endpointUrl: app.view?.url ?? '', scopes: (app.scope ?? []).map(String) }] : []));
  } catch (error) {
    // LINE answers 404 for a channel without LIFF apps.
    if (error instanceof LineApiError && error.isNotFound) return [];
    throw error;
  }
}
