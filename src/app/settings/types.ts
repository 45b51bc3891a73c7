// What the backend's /api/accounts answers (backend/src/accounts/account-view.ts, operation-view.ts), /api/portal/admin-roles
// (backend/src/install/admin-roles-routes.ts) and /api/templates (backend/src/templates/repository.ts). HubSpot builds this folder
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
  options: { autoCreateContacts: boolean; autoCreateCompanies: boolean; ownerTasks: boolean; timelineMode: TimelineMode };
  createdAt: number;
  updatedAt: number;
}

/** Token and quota as the last health check found them: null before the portal's first check. */
export interface AccountHealth {
  tokenValid: boolean | null;
  tokenError: string | null;
  quota: { limit: number | null; used: number; remaining: number | null } | null;
  checkedAt: number | null;
  failedJobs: { count: number; recent: Array<{ id: number; type: string; attempts: number; lastError: string | null }> };
}

export type AccountWithHealth = Account & { health: AccountHealth };

/** What waits on LINE runs as an operation (backend/src/accounts/operation-view.ts) that the page polls. */
export type OperationKind = 'connect' | 'update' | 'webhook_test' | 'health_check';
export type OperationStep = 'checking_credentials' | 'setting_webhook' | 'testing_webhook' | 'checking_accounts';

export interface Operation {
  id: string;
  kind: OperationKind;
  state: 'running' | 'succeeded' | 'failed';
  step: OperationStep | null;
  progress: { done: number; total: number };
  accountId: number | null;
  error: { status: number; code: string; message: string } | null;
  startedAt: number;
  updatedAt: number;
}

export interface AdminRoles {
  roles: Array<{ id: string; name: string; allowed: boolean }>;
  canEdit: boolean;
}

/** A LINE message object of a template (text, sticker, image, flex …), as LINE receives it. */
export type TemplateMessage = { type: string } & Record<string, unknown>;

export interface MessageTemplate {
  id: number;
  name: string;
  messages: TemplateMessage[];
  updatedAt: number;
}

/** What LINE confirmed about LINE Login settings when they were saved (PUT /api/accounts/:id/login). */
export interface LoginChannelCheck {
  credentials: 'verified';
  liff: { liffId: string; endpointUrl: string; endpointMatches: boolean; emailScope: boolean } | null;
}
