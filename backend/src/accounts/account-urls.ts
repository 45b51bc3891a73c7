// The public URLs of one connected account: where LINE sends its webhooks and where LINE Login lands.
// Every URL is built from PUBLIC_BASE_URL and the account's unguessable keys, in this one place.
import type { Config } from '../config.ts';
import { liffUrl } from '../line/login-api.ts';

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
  /** The page LINE asks for when applying for the email permission: what the login collects and why. */
  samplePageUrl: string;
  /** The QR code of what customers should open (see sharedLoginUrl), as PNG and as SVG; both take `?size=`. */
  qrCodeUrl: string;
  qrCodeSvgUrl: string;
}

export function loginUrls(config: Config, loginKey: string): LoginUrls {
  const loginUrl = `${config.PUBLIC_BASE_URL}/line/login/${loginKey}`;
  return {
    loginUrl,
    callbackUrl: `${loginUrl}/callback`,
    liffEndpointUrl: `${loginUrl}/liff`,
    samplePageUrl: `${loginUrl}/sample`,
    qrCodeUrl: `${loginUrl}/qr.png`,
    qrCodeSvgUrl: `${loginUrl}/qr.svg`,
  };
}

/** What customers are given to open or scan: the LIFF URL when the account has a LIFF app (it logs in inside LINE without a password), else the login URL. */
export function sharedLoginUrl(config: Config, account: { loginKey: string; liffId: string | null }): string {
  return account.liffId ? liffUrl(account.liffId) : loginUrls(config, account.loginKey).loginUrl;
}
