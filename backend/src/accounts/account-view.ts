// What the settings page receives about an account: everything it shows, and for secrets only whether
// they are set. The one place that decides what leaves the backend.
import type { Config } from '../config.ts';
import { loginUrls, sharedLoginUrl, webhookUrl, type LoginUrls } from './account-urls.ts';
import type { FailedJobView } from './account-jobs.ts';
import type { KnownHealth } from './health-check.ts';
import { linePropertyName } from '../properties/property-names.ts';
import type { LineAccount, TimelineMode } from './repository.ts';
import { parseWebhookOutcome, type WebhookTestOutcome } from './webhook-setup.ts';

export interface AccountView {
  id: number;
  /** 1: contact properties with plain names (line_user_id); N: names with `_N` (line_user_id_N). */
  sequence: number;
  userIdProperty: string;
  channelId: string;
  botUserId: string;
  basicId: string | null;
  displayName: string;
  pictureUrl: string | null;
  channelSecretSet: boolean;
  channelAccessTokenSet: boolean;
  webhook: { url: string; verifiedAt: number | null; lastTest: WebhookTestOutcome | null };
  lastEventAt: number | null;
  login: LoginUrls & {
    /** What customers open or scan: the LIFF URL when there is a LIFF ID, else loginUrl. */
    sharedUrl: string;
    channelId: string | null;
    channelSecretSet: boolean;
    liffId: string | null;
    redirectUrl: string | null;
    requireEmail: boolean;
  };
  options: { autoCreateContacts: boolean; autoCreateCompanies: boolean; ownerTasks: boolean; timelineMode: TimelineMode };
  createdAt: number;
  updatedAt: number;
}

/** Token and quota as the portal's last health check found them (null before any check), and the failed jobs now. */
export type AccountHealthView = KnownHealth & {
  failedJobs: { count: number; recent: FailedJobView[] };
};

export function accountView(config: Config, account: LineAccount): AccountView {
  return {
    id: account.id,
    sequence: account.sequence,
    userIdProperty: linePropertyName('line_user_id', account.sequence),
    channelId: account.channelId,
    botUserId: account.botUserId,
    basicId: account.basicId,
    displayName: account.displayName,
    pictureUrl: account.pictureUrl,
    channelSecretSet: Boolean(account.channelSecret),
    channelAccessTokenSet: Boolean(account.channelAccessToken),
    webhook: {
      url: webhookUrl(config, account.webhookKey),
      verifiedAt: account.webhookVerifiedAt,
      lastTest: parseWebhookOutcome(account.webhookTestResult),
    },
    lastEventAt: account.lastEventAt,
    login: {
      ...loginUrls(config, account.loginKey),
      sharedUrl: sharedLoginUrl(config, account),
      channelId: account.loginChannelId,
      channelSecretSet: Boolean(account.loginChannelSecret),
      liffId: account.liffId,
      redirectUrl: account.loginRedirectUrl,
      requireEmail: account.loginRequireEmail,
    },
    options: { autoCreateContacts: account.autoCreateContacts, autoCreateCompanies: account.autoCreateCompanies, ownerTasks: account.ownerTasks, timelineMode: account.timelineMode },
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}
