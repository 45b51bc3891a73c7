// What the backend's /api/accounts answers (backend/src/accounts/account-view.ts) and /api/portal/admin-roles
// (backend/src/install/admin-roles-routes.ts). HubSpot builds this folder
// on its own and its lint forbids imports from outside it, so the shapes are declared again here;
// test/contracts/api-types.test.ts fails `npm test` when they drift from the backend's.

export type TimelineMode = 'app_events' | 'notes' | 'off';

export interface WebhookTestOutcome {
  success: boolean;
  statusCode: number;
  reason: string;
  detail: string;
  testedAt: number;
}

export interface Account {
  id: number;
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
  login: {
    loginUrl: string;
    callbackUrl: string;
    liffEndpointUrl: string;
    samplePageUrl: string;
    qrCodeUrl: string;
    qrCodeSvgUrl: string;
    /** What customers open or scan: the LIFF URL when there is a LIFF ID, else loginUrl. */
    sharedUrl: string;
    channelId: string | null;
    channelSecretSet: boolean;
    liffId: string | null;
    redirectUrl: string | null;
    requireEmail: boolean;
  };
  options: { autoCreateContacts: boolean; ownerTasks: boolean; timelineMode: TimelineMode };
  createdAt: number;
  updatedAt: number;
}

export interface AccountHealth {
  tokenValid: boolean;
  tokenError: string | null;
  quota: { limit: number | null; used: number; remaining: number | null } | null;
  failedJobs: { count: number; recent: Array<{ id: number; type: string; attempts: number; lastError: string | null }> };
}

export type AccountWithHealth = Account & { health: AccountHealth };

export interface AdminRoles {
  roles: Array<{ id: string; name: string; allowed: boolean }>;
  canEdit: boolean;
}

/** What LINE confirmed about LINE Login settings when they were saved (PUT /api/accounts/:id/login). */
export interface LoginChannelCheck {
  credentials: 'verified';
  liff: { liffId: string; endpointUrl: string; endpointMatches: boolean; emailScope: boolean } | null;
}
