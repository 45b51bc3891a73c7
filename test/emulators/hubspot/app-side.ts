// Plays HubSpot calling the app's backend: hubspot.fetch from UI extensions, workflow action executions,
// webhook deliveries and optionsUrl lookups, each signed the way HubSpot signs them.
import { randomInt, randomUUID } from 'node:crypto';
import { parseOptionsAnswer, type ActionOptionsAnswer } from './action-options.ts';
import { signatureHeaders, signV1, signV3 } from './signing.ts';
import type { SignatureVersion } from './signing.ts';
import type { EmulatorState } from './state.ts';

const MB = 1024 * 1024;
/** hubspot.fetch limits (HubSpot's "Fetching data" guide): 20 requests in flight per app per account, 429 beyond. */
const MAX_CONCURRENT_FETCHES = 20;
/** A hubspot.fetch may take at most 15 s, its one retry included; a request may ask for less with `timeout`. */
export const MAX_FETCH_TIMEOUT_MS = 15_000;
/** HubSpot retries a failed execution (5xx, 429, no answer) for up to 3 days. */
const EXECUTION_RETRY_HORIZON_MS = 3 * 24 * 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HubSpotFetchOptions {
  portalId: number;
  userId?: number;
  userEmail?: string;
  method?: string;
  body?: unknown;
  timeoutMs?: number;
  signatureVersion?: SignatureVersion;
  /** Overrides for negative tests: sign with another secret, or with a stale timestamp. */
  clientSecret?: string;
  timestamp?: number;
  /** The answers of this many first attempts never reach HubSpot (connection lost): it retries once, as after a 5xx. */
  lostAnswers?: number;
}

/** One hubspot.fetch as the extension saw it: its final status (0: it failed without an answer) and attempts. */
export interface FetchRecord {
  portalId: number;
  method: string;
  path: string;
  status: number;
  attempts: number;
}

export interface WorkflowExecutionInput {
  actionUrl: string;
  portalId: number;
  callbackId?: string;
  actionDefinitionId?: number;
  actionDefinitionVersion?: number;
  /** The enrolled record: a contact (default) or, in a company workflow, a company. */
  object: { objectId: number | string; objectType?: 'CONTACT' | 'COMPANY'; properties?: Record<string, string> };
  /**
   * The action definition's objectRequestOptions.properties: HubSpot puts the enrolled record's values
   * of these in object.properties (a property without a value is left out). `object.properties` overrides.
   */
  objectRequestProperties?: string[];
  inputFields: Record<string, unknown>;
  workflowId?: number;
  actionId?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  signatureVersion?: SignatureVersion;
  /** The answers of this many first attempts never reach HubSpot (a timeout on its side): it retries them. */
  lostAnswers?: number;
}

export interface OptionsRequestInput {
  portalId: number;
  inputFieldName: string;
  /** The values of the step's other fields, as the editor holds them when it asks. */
  inputFields?: Record<string, unknown>;
  q?: string;
  after?: string;
  actionDefinitionId?: number;
}

export interface WorkflowExecution {
  callbackId: string;
  portalId: number;
  request: unknown;
  attempts: Array<{ status: number; body: unknown; error?: string }>;
  outcome: unknown;
}

export interface WebhookEventInput {
  subscriptionType: string;
  portalId: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  mergedObjectIds?: number[];
  primaryObjectId?: number;
  [extra: string]: unknown;
}

export interface AppSideOptions {
  /** Cap on real sleeping between workflow retries (the emulator clock still advances by the full delay). */
  retrySleepCapMs?: number;
  permittedFetchUrls?: string[];
  /** HubSpot's 15 s hubspot.fetch timeout, shortened by tests that must not wait for it. */
  maxFetchTimeoutMs?: number;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class AppSide {
  private state: EmulatorState;
  /** Requests in flight per app and account (the emulator plays one app, so per portal). */
  private inFlight = new Map<number, number>();
  private retrySleepCapMs: number;
  private maxFetchTimeoutMs: number;
  fetches: FetchRecord[] = [];
  /** The most hubspot.fetch requests each portal had in flight at once (what the 429 rule counts). */
  peakInFlight = new Map<number, number>();
  /**
   * The app's permittedUrls.fetch (URL prefixes). HubSpot refuses a hubspot.fetch to any other URL;
   * unset, every URL is allowed (the emulator cannot know the backend's URL before it starts).
   */
  permittedFetchUrls: string[] | undefined;
  workflowExecutions: WorkflowExecution[] = [];

  constructor(state: EmulatorState, opts: AppSideOptions = {}) {
    this.state = state;
    this.retrySleepCapMs = opts.retrySleepCapMs ?? 20;
    this.maxFetchTimeoutMs = opts.maxFetchTimeoutMs ?? MAX_FETCH_TIMEOUT_MS;
    this.permittedFetchUrls = opts.permittedFetchUrls;
  }

  /** Who calls when a test does not say: the portal's first super admin, so settings changes are allowed. */
  private defaultUser(portalId: number) {
    const admin = this.state.portals.get(portalId)?.users.find((u) => u.superAdmin);
    return { userId: admin?.id ?? 1, userEmail: admin?.email ?? 'user@example.com' };
  }

  async hubspotFetch(url: string, o: HubSpotFetchOptions): Promise<Response> {
    const { config } = this.state;
    const method = (o.method ?? 'GET').toUpperCase();
    // Judged on the URL as it will be requested, after `..` and `.` segments are resolved.
    const target = new URL(url);
    if (this.permittedFetchUrls && !this.permittedFetchUrls.some((prefix) => target.href.startsWith(prefix))) {
      throw new TypeError(`hubspot.fetch: ${url} is not in the app's permittedUrls.fetch`);
    }
    const user = this.defaultUser(o.portalId);
    // Appended after whatever query the extension asked for, even parameters of the same name.
    target.searchParams.append('portalId', String(o.portalId));
    target.searchParams.append('userId', String(o.userId ?? user.userId));
    target.searchParams.append('userEmail', o.userEmail ?? user.userEmail);
    target.searchParams.append('appId', String(config.appId));
    let body = '';
    if (o.body !== undefined && method !== 'GET' && method !== 'HEAD') {
      if (typeof o.body !== 'object' || o.body === null) throw new TypeError('hubspot.fetch: body must be an object');
      body = JSON.stringify(o.body);
      if (Buffer.byteLength(body) > MB) throw new Error('hubspot.fetch: request body exceeds the 1 MB limit');
    }
    const record: FetchRecord = { portalId: o.portalId, method, path: target.pathname, status: 0, attempts: 0 };
    this.fetches.push(record);
    const running = this.inFlight.get(o.portalId) ?? 0;
    if (running >= MAX_CONCURRENT_FETCHES) {
      record.status = 429;
      return new Response(JSON.stringify({ status: 'error', message: 'Too many concurrent requests' }), { status: 429, headers: { 'content-type': 'application/json' } });
    }
    this.inFlight.set(o.portalId, running + 1);
    this.peakInFlight.set(o.portalId, Math.max(running + 1, this.peakInFlight.get(o.portalId) ?? 0));
    // One window for the request and its retry: HubSpot retries only within it.
    const deadline = Date.now() + Math.min(o.timeoutMs ?? this.maxFetchTimeoutMs, this.maxFetchTimeoutMs);
    try {
      for (let attempt = 1; ; attempt++) {
        record.attempts = attempt;
        const mayRetry = attempt === 1;
        const headers: Record<string, string> = {
          ...signatureHeaders(o.clientSecret ?? config.clientSecret, method, target.toString(), body, o.signatureVersion ?? 'both', o.timestamp ?? Date.now()),
          Accept: 'application/json',
        };
        if (body) headers['Content-Type'] = 'application/json';
        let res: Response;
        try {
          res = await fetch(target, { method, headers, body: body || undefined, signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())), redirect: 'manual' });
        } catch (err) {
          const timedOut = (err as Error).name === 'TimeoutError';
          if (mayRetry && !timedOut && Date.now() < deadline) continue;
          throw err;
        }
        if (attempt <= (o.lostAnswers ?? 0)) {
          await res.arrayBuffer().catch(() => undefined);
          if (mayRetry && Date.now() < deadline) continue;
          throw new TypeError('hubspot.fetch: the connection was lost before the answer arrived');
        }
        if (res.status >= 500 && mayRetry && Date.now() < deadline) {
          await res.arrayBuffer().catch(() => undefined);
          continue;
        }
        const buf = await res.arrayBuffer();
        if (buf.byteLength > MB) throw new Error('hubspot.fetch: response body exceeds the 1 MB limit');
        record.status = res.status;
        return new Response(res.status === 204 || res.status === 304 ? null : buf, { status: res.status, statusText: res.statusText, headers: res.headers });
      }
    } finally {
      this.inFlight.set(o.portalId, (this.inFlight.get(o.portalId) ?? 1) - 1);
    }
  }

  private requestedProperties(o: WorkflowExecutionInput): { properties?: Record<string, string> } {
    if (o.object.properties) return { properties: o.object.properties };
    if (!o.objectRequestProperties) return {};
    const objects = this.state.portals.get(o.portalId)?.objects[o.object.objectType === 'COMPANY' ? 'companies' : 'contacts'];
    const record = objects?.get(String(o.object.objectId));
    const values = o.objectRequestProperties.flatMap((name) => (record?.properties[name] ? [[name, record.properties[name]] as const] : []));
    return { properties: Object.fromEntries(values) };
  }

  async executeWorkflowAction(o: WorkflowExecutionInput): Promise<WorkflowExecution> {
    const { config } = this.state;
    const callbackId = o.callbackId ?? `ap-${config.appId}-${o.portalId}-${randomInt(1e9)}-${randomInt(1e6)}-0`;
    this.state.issuedCallbacks.set(callbackId, o.portalId);
    const request = {
      callbackId,
      origin: {
        portalId: o.portalId,
        actionDefinitionId: o.actionDefinitionId ?? 1,
        actionDefinitionVersion: o.actionDefinitionVersion ?? 1,
        actionExecutionIndexIdentifier: { enrollmentId: randomInt(1e9), actionExecutionIndex: 0 },
      },
      context: { workflowId: o.workflowId ?? 1, actionId: o.actionId ?? 1, source: 'WORKFLOWS' },
      object: { objectId: Number(o.object.objectId), objectType: o.object.objectType ?? 'CONTACT', ...this.requestedProperties(o) },
      inputFields: o.inputFields,
      fields: o.inputFields,
    };
    const body = JSON.stringify(request);
    const execution: WorkflowExecution = { callbackId, portalId: o.portalId, request, attempts: [], outcome: undefined };
    this.workflowExecutions.push(execution);
    const maxAttempts = o.maxAttempts ?? 5;
    const startedAt = this.state.clock.now();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let status = 0;
      let parsed: unknown = null;
      let retryAfterMs: number | undefined;
      try {
        const res = await fetch(o.actionUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...signatureHeaders(config.clientSecret, 'POST', o.actionUrl, body, o.signatureVersion ?? 'both') },
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
        });
        status = res.status;
        parsed = await readBody(res);
        const ra = res.headers.get('retry-after');
        if (ra) retryAfterMs = /^\d+$/.test(ra) ? Number(ra) * 1000 : Math.max(0, Date.parse(ra) - Date.now());
        if (attempt <= (o.lostAnswers ?? 0)) {
          execution.attempts.push({ status: 0, body: null, error: 'the answer was lost' });
          status = 0;
        } else execution.attempts.push({ status, body: parsed });
      } catch (err) {
        execution.attempts.push({ status: 0, body: null, error: (err as Error).message });
      }
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable) {
        execution.outcome = status >= 200 && status < 300 ? parsed : { failed: true, status, body: parsed };
        return execution;
      }
      const delay = retryAfterMs ?? 1000 * 2 ** (attempt - 1);
      if (this.state.clock.now() + delay - startedAt > EXECUTION_RETRY_HORIZON_MS) break;
      if (attempt < maxAttempts) {
        this.state.clock.advance(delay);
        await sleep(Math.min(delay, this.retrySleepCapMs));
      }
    }
    execution.outcome = { failed: true, retriesExhausted: true, lastStatus: execution.attempts.at(-1)?.status };
    return execution;
  }

  async sendWebhooks(targetUrl: string, events: WebhookEventInput[], opts: { maxAttempts?: number } = {}): Promise<{ status: number; attempts: number; body: unknown[] }> {
    const { config } = this.state;
    const base = events.map((e) => ({
      ...e,
      eventId: e.eventId ?? randomInt(1e9),
      subscriptionId: e.subscriptionId ?? 1000 + randomInt(1000),
      portalId: e.portalId,
      appId: config.appId,
      occurredAt: e.occurredAt ?? this.state.clock.now(),
      subscriptionType: e.subscriptionType,
      attemptNumber: 0,
      objectId: e.objectId,
      changeSource: e.changeSource ?? 'CRM',
      ...(e.subscriptionType.endsWith('.merge') && e.newObjectId === undefined ? { newObjectId: e.primaryObjectId ?? e.objectId } : {}),
    }));
    let status = 0;
    const maxAttempts = opts.maxAttempts ?? 1;
    let attempt = 0;
    for (; attempt < maxAttempts; attempt++) {
      const payload = base.map((e) => ({ ...e, attemptNumber: attempt }));
      const body = JSON.stringify(payload);
      const timestamp = Date.now();
      try {
        const res = await fetch(targetUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-HubSpot-Request-Timestamp': String(timestamp),
            'X-HubSpot-Signature-v3': signV3(config.clientSecret, 'POST', targetUrl, body, timestamp),
            'X-HubSpot-Signature': signV1(config.clientSecret, body),
            'X-HubSpot-Signature-Version': 'v1',
          },
          body,
          signal: AbortSignal.timeout(5_000),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      if (status >= 200 && status < 300) return { status, attempts: attempt + 1, body: payload };
    }
    return { status, attempts: attempt, body: base };
  }

  /** The options the workflow editor shows for a field: the optionsUrl's answer, checked as HubSpot reads it (none on a 4xx/5xx). */
  async fieldOptions(url: string, o: OptionsRequestInput): Promise<{ status: number } & ActionOptionsAnswer> {
    const res = await this.callOptionsUrl(url, o);
    if (res.status !== 200) return { status: res.status, options: [] };
    return { status: 200, ...parseOptionsAnswer(await res.json()) };
  }

  async callOptionsUrl(url: string, o: OptionsRequestInput): Promise<Response> {
    const { config } = this.state;
    const body = JSON.stringify({
      origin: { portalId: o.portalId, actionDefinitionId: o.actionDefinitionId ?? 1, actionDefinitionVersion: 1 },
      objectTypeId: '0-1',
      inputFieldName: o.inputFieldName,
      inputFields: o.inputFields ?? {},
      fetchOptions: { ...(o.q !== undefined ? { q: o.q } : {}), ...(o.after !== undefined ? { after: o.after } : {}) },
      requestId: randomUUID(),
    });
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signatureHeaders(config.clientSecret, 'POST', url, body, 'both') },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  }
}
