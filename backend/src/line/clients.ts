// Official @line/bot-sdk clients for one LINE channel, pointed at the configured base URLs
// (the real hosts by default, the emulator in tests).
import { messagingApi } from '@line/bot-sdk';
import type { Config } from '../config.ts';

export interface LineClients {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
}

export function lineClients(config: Config, channelAccessToken: string): LineClients {
  return {
    messaging: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: config.LINE_API_BASE_URL }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: config.LINE_DATA_API_BASE_URL }),
  };
}
