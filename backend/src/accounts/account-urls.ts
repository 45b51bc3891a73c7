// The public URLs of one connected account: where LINE sends its webhooks and where LINE Login lands.
// Every URL is built from PUBLIC_BASE_URL and the account's unguessable keys, in this one place.
import type { Config } from '../config.ts';

export function webhookUrl(config: Config, webhookKey: string): string {
  return `${config.PUBLIC_BASE_URL}/line/webhook/${webhookKey}`;
}

export interface LoginUrls {
  /** What a LINE user opens (or scans as a QR code) to link their LINE account to a contact. */
  loginUrl: string;
  /** To register in the LINE Login channel as the callback URL. */
  callbackUrl: string;
  /** To register as the LIFF app's endpoint URL. */
  liffEndpointUrl: string;
  /** PNG of the QR code for loginUrl. */
  qrCodeUrl: string;
}

export function loginUrls(config: Config, loginKey: string): LoginUrls {
  const loginUrl = `${config.PUBLIC_BASE_URL}/line/login/${loginKey}`;
  return {
    loginUrl,
    callbackUrl: `${loginUrl}/callback`,
    liffEndpointUrl: `${loginUrl}/liff`,
    qrCodeUrl: `${loginUrl}/qr.png`,
  };
}
