// Stateless channel access tokens (POST /oauth2/v3/token, client_credentials): LINE issues one only when
// the channel ID and secret belong together, so issuing one is how a channel secret is checked.
// They expire in 15 minutes and have no issue limit.
import type { Config } from '../config.ts';
import { channelTokenClient } from './clients.ts';
import { callLine, type LineCallOptions } from './line-channel.ts';

export async function issueStatelessChannelToken(config: Config, channel: { channelId: string; channelSecret: string }, options: LineCallOptions = {}): Promise<string> {
  const tokens = channelTokenClient(config);
  const issued = await callLine(
    'stateless channel token',
    () => tokens.issueStatelessChannelToken('client_credentials', undefined, undefined, channel.channelId, channel.channelSecret),
    options,
  );
  return issued.access_token;
}
