// Official @line/bot-sdk clients for one LINE channel, pointed at the configured base URLs
// (the real hosts by default, the emulator in tests). Features reach them only through line-channel.ts.
import { channelAccessToken, messagingApi } from './line-sdk.ts';
import type { Config } from '../config.ts';

export interface LineClients {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
}

/** A message object as push and reply take it (text, sticker, image, flex …). */
export type LineMessage = messagingApi.Message;

export function lineClients(config: Config, channelAccessToken: string): LineClients {
  return {
    messaging: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: config.LINE_API_BASE_URL }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: config.LINE_DATA_API_BASE_URL }),
  };
}

/** Channel access token endpoints: they authenticate with the channel ID and secret, not a token. */
export function channelTokenClient(config: Config): channelAccessToken.ChannelAccessTokenClient {
  return new channelAccessToken.ChannelAccessTokenClient({ baseURL: config.LINE_API_BASE_URL });
}
