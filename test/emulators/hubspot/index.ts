// Public entry of the HubSpot emulator: start it, seed portals, control OAuth, faults, limits and the clock,
// and play HubSpot calling the app (hubspot.fetch, workflow actions, webhooks, options URLs).
import { createTrafficLog } from '../traffic-log.ts';
import { AppSide } from './app-side.ts';
import type { ActionOptionsAnswer } from './action-options.ts';
import type { FetchRecord, HubSpotFetchOptions, OptionsRequestInput, WebhookEventInput, WorkflowExecution, WorkflowExecutionInput } from './app-side.ts';
import { ALL_SCOPES } from './auth.ts';
import type { GroupDef, PropertyDef } from './builtin-properties.ts';
import { archiveRecord, createValidated, findRecord, purgeRecord, updateRecord } from './crm-store.ts';
import { mergeRecords } from './crm-merge.ts';
import { applyAssociations, planAssociations } from './crm-objects.ts';
import { FaultInjector } from './faults.ts';
import type { FaultSpec } from './faults.ts';
import { resolveObjectType } from './object-types.ts';
import { assertUnique, validateProperties } from './property-values.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { AuthorizePlan } from './oauth-routes.ts';
import { RateLimiter } from './rate-limit.ts';
import express from 'express';
import { hubspotControlRoutes } from './control-routes.ts';
import { createApp, listen } from './server.ts';
import { createClock, EmulatorState, PortalState } from './state.ts';
import type { AssociationRow, CallbackCompletion, CallRecord, Clock, CrmRecord, FileRecord, ListRecord, Owner, PortalUser, Role, TimelineEventRecord, WorkflowRecord } from './state.ts';
import { install, revokeRefreshToken, uninstall } from './tokens.ts';

export type { FaultSpec, HubSpotFetchOptions, WebhookEventInput, WorkflowExecution, WorkflowExecutionInput };
export type { AssociationRow, CallbackCompletion, CallRecord, Clock, CrmRecord, GroupDef, ListRecord, ObjectTypeName, Owner, PortalUser, PropertyDef, Role, TimelineEventRecord };
export { signV1, signV2, signV3, v3Uri } from './signing.ts';

export interface HubSpotEmulatorOptions {
  port?: number;
  host?: string;
  trafficLog?: string;
  clientId?: string;
  clientSecret?: string;
  appId?: number;
  rateLimit?: { max: number; windowMs: number };
  /** Search requests per second per portal (default 5). */
  searchPerSecond?: number;
  /** Requests per day per portal; unset = no daily limit. */
  dailyLimit?: number;
  accessTokenTtlSeconds?: number;
  /** Search sees new objects only after this many ms (HubSpot's index lag; default 0). */
  searchIndexDelayMs?: number;
  /** How IN / NOT_IN compare string values (default: as HubSpot documents it, see EmulatorConfig). */
  searchInMatching?: 'lowercase-values' | 'exact';
  /** When set, /oauth/authorize accepts only these redirect URIs. */
  redirectUris?: string[];
  /** Seed of the generator behind `faults.inject({ failRatio })`. */
  faultSeed?: number;
  /** Cap on real sleeping between workflow retries (default 20 ms; the emulator clock advances fully). */
  retrySleepCapMs?: number;
  /** hubspot.fetch's timeout cap (HubSpot: 15 s), shortened only by tests of the cap itself. */
  maxFetchTimeoutMs?: number;
}

export interface CreatePortalOptions {
  portalId?: number;
  timeZone?: string;
  hasAppEventTypes?: boolean;
  /** Restrict accepted timeline eventTemplateIds / eventTypeNames (default: any, when hasAppEventTypes). */
  appEventTypes?: string[];
  owners?: Array<{ id?: string; email: string; firstName?: string; lastName?: string; userId?: number }>;
}

export interface Portal {
  readonly portalId: number;
  readonly timeZone: string;
  readonly installed: boolean;
  hasAppEventTypes: boolean;
  owners: Owner[];
  /** The portal's users; the first one, created with the portal, is a super admin (the account's creator). */
  users: PortalUser[];
  roles: Role[];
  lists: ListRecord[];
  contacts(o?: { archived?: boolean }): CrmRecord[];
  companies(o?: { archived?: boolean }): CrmRecord[];
  deals(o?: { archived?: boolean }): CrmRecord[];
  tasks(o?: { archived?: boolean }): CrmRecord[];
  notes(o?: { archived?: boolean }): CrmRecord[];
  objects(objectType: string, o?: { archived?: boolean }): CrmRecord[];
  properties(objectType: string): PropertyDef[];
  groups(objectType: string): GroupDef[];
  associations(): AssociationRow[];
  timelineEvents(): TimelineEventRecord[];
  callbacksCompleted(): CallbackCompletion[];
  /** Seeds a record through the same validation as the API (unknown properties, unique values...). */
  createObject(objectType: string, properties: Record<string, string>, associations?: unknown[]): CrmRecord;
  /** What a user does in HubSpot, with the API's semantics: edit ("" clears), delete (archive), merge (answers the new record), GDPR delete. */
  updateObject(objectType: string, id: string, properties: Record<string, string>): CrmRecord;
  archiveObject(objectType: string, id: string): void;
  mergeObjects(objectType: string, primaryId: string, idToMerge: string): CrmRecord;
  gdprDeleteContact(id: string): void;
  addOwner(o: { id?: string; email: string; firstName?: string; lastName?: string; userId?: number }): Owner;
  addList(o: { name: string; processingType?: 'MANUAL' | 'SNAPSHOT' | 'DYNAMIC'; memberIds?: string[]; listId?: string }): ListRecord;
  /** A user of this portal: not a super admin unless asked. Pass the `id` of another portal's user to make that person a user here too. */
  addUser(o?: { id?: number; email?: string; firstName?: string; lastName?: string; superAdmin?: boolean; roleIds?: string[] }): PortalUser;
  addRole(o: { name: string; requiresBillingWrite?: boolean }): Role;
  /** A file in the portal's file manager, as the FileUpload component uploads it (`name` with its extension). */
  addFile(o: { name: string; size: number; access?: FileRecord['access']; type?: string }): FileRecord;
  /** A contact (default) or company workflow of the portal, as the automation v4 flows API shows it. */
  addWorkflow(o: { id: number; name: string; isEnabled?: boolean; objectType?: WorkflowRecord['objectType'] }): WorkflowRecord;
}

export interface HubSpotEmulator {
  baseUrl: string;
  appBaseUrl: string;
  clientId: string;
  clientSecret: string;
  appId: number;
  close(): Promise<void>;
  createPortal(o?: CreatePortalOptions): Portal;
  portal(portalId: number): Portal;
  authorize: { next(o: AuthorizePlan): void };
  issueTokens(portalId: number, scopes?: string[]): { accessToken: string; refreshToken: string; expiresIn: number };
  revokeRefreshToken(refreshToken: string): void;
  uninstall(portalId: number): void;
  calls: CallRecord[];
  faults: { inject(f: FaultSpec): void; clear(): void };
  limits: { set(o: { rateLimit?: { max: number; windowMs: number }; searchPerSecond?: number; dailyLimit?: number | undefined }): void; reset(): void };
  clock: Clock;
  workflowExecutions: WorkflowExecution[];
  hubspotFetch(url: string, o: HubSpotFetchOptions): Promise<Response>;
  /** Every hubspot.fetch made, with the status the extension got (429 when over the concurrency limit). */
  fetches: FetchRecord[];
  /** The most hubspot.fetch requests the portal had in flight at once. */
  fetchPeakInFlight(portalId: number): number;
  /** Sets the app's permittedUrls.fetch (URL prefixes) that hubspot.fetch enforces; undefined allows every URL. */
  permitFetchUrls(prefixes: string[] | undefined): void;
  executeWorkflowAction(o: WorkflowExecutionInput): Promise<WorkflowExecution>;
  sendWebhooks(targetUrl: string, events: WebhookEventInput[], o?: { maxAttempts?: number }): Promise<{ status: number; attempts: number; body: unknown[] }>;
  callOptionsUrl(url: string, o: OptionsRequestInput): Promise<Response>;
  /** The options the workflow editor would show: the answer checked as HubSpot reads it, refused loudly when malformed. */
  fieldOptions(url: string, o: OptionsRequestInput): Promise<{ status: number } & ActionOptionsAnswer>;
  /** The raw in-memory state, for assertions the accessors do not cover. */
  state: EmulatorState;
}

function typeOf(raw: string): ObjectTypeName {
  const t = resolveObjectType(raw);
  if (!t) throw new Error(`HubSpot emulator: unknown object type ${raw}`);
  return t;
}

function portalView(state: EmulatorState, p: PortalState): Portal {
  const list = (type: ObjectTypeName, o?: { archived?: boolean }) => [...p.objects[type].values()].filter((r) => r.archived === (o?.archived ?? false));
  let nextOwner = 1;
  const view: Portal = {
    portalId: p.portalId,
    timeZone: p.timeZone,
    get installed() {
      return p.installed;
    },
    get hasAppEventTypes() {
      return p.hasAppEventTypes;
    },
    set hasAppEventTypes(v: boolean) {
      p.hasAppEventTypes = v;
    },
    owners: p.owners,
    users: p.users,
    roles: p.roles,
    lists: p.lists,
    contacts: (o) => list('contacts', o),
    companies: (o) => list('companies', o),
    deals: (o) => list('deals', o),
    tasks: (o) => list('tasks', o),
    notes: (o) => list('notes', o),
    objects: (t, o) => list(typeOf(t), o),
    properties: (t) => [...p.propertyDefs[typeOf(t)].values()].filter((d) => !d.archived),
    groups: (t) => [...p.groupDefs[typeOf(t)].values()].filter((g) => !g.archived),
    associations: () => p.associations,
    timelineEvents: () => p.timelineEvents,
    callbacksCompleted: () => p.callbacksCompleted,
    createObject(t, properties, associations) {
      const type = typeOf(t);
      const planned = planAssociations(p, type, associations);
      const rec = createValidated(state, p, type, properties);
      applyAssociations(p, type, rec.id, planned);
      return rec;
    },
    updateObject(t, id, properties) {
      const type = typeOf(t);
      const rec = findRecord(p, type, id);
      if (!rec) throw new Error(`HubSpot emulator: no live ${type} ${id}`);
      const values = validateProperties(p, type, properties, 'update');
      assertUnique(p, type, values, rec.id);
      return updateRecord(state, type, rec, values);
    },
    archiveObject(t, id) {
      const type = typeOf(t);
      const rec = p.objects[type].get(id);
      if (rec && !rec.archived) archiveRecord(state, p, type, rec);
    },
    mergeObjects(t, primaryId, idToMerge) {
      const type = typeOf(t);
      const [primary, secondary] = [primaryId, idToMerge].map((id) => p.objects[type].get(id));
      if (!primary || !secondary) throw new Error(`HubSpot emulator: no ${type} ${primary ? idToMerge : primaryId}`);
      return mergeRecords(state, p, type, primary, secondary);
    },
    gdprDeleteContact(id) {
      const rec = p.objects.contacts.get(id);
      if (!rec) throw new Error(`HubSpot emulator: no contact ${id}`);
      purgeRecord(p, 'contacts', rec);
    },
    addOwner(o) {
      const now = state.clock.now();
      const owner: Owner = {
        id: o.id ?? String(p.portalId * 100 + nextOwner++),
        email: o.email,
        firstName: o.firstName,
        lastName: o.lastName,
        userId: o.userId ?? 7_000_000 + p.owners.length + 1,
        type: 'PERSON',
        archived: false,
        createdAt: now,
        updatedAt: now,
      };
      p.owners.push(owner);
      return owner;
    },
    addList(o) {
      const now = state.clock.now();
      const l: ListRecord = {
        listId: o.listId ?? String(100 + p.lists.length + 1),
        name: o.name,
        objectTypeId: '0-1',
        processingType: o.processingType ?? 'MANUAL',
        createdAt: now,
        updatedAt: now,
        members: (o.memberIds ?? []).map((recordId) => ({ recordId, addedAt: now })),
      };
      p.lists.push(l);
      return l;
    },
    addUser(o = {}) {
      const id = o.id ?? state.newUserId();
      if (p.users.some((u) => u.id === id)) throw new Error(`HubSpot emulator: user ${id} is already a user of portal ${p.portalId}`);
      const roleIds = o.roleIds ?? [];
      const unknown = roleIds.filter((r) => !p.roles.some((role) => role.id === r));
      if (unknown.length) throw new Error(`HubSpot emulator: portal ${p.portalId} has no role ${unknown.join(', ')}`);
      const user: PortalUser = { id, email: o.email ?? `user${id}@example.com`, firstName: o.firstName, lastName: o.lastName, superAdmin: o.superAdmin ?? false, roleIds };
      p.users.push(user);
      return user;
    },
    addFile(o) {
      const id = state.newFileId();
      const extension = /\.([^.]+)$/.exec(o.name)?.[1] ?? '';
      const type = o.type ?? (['jpg', 'jpeg', 'png', 'gif', 'webp'].includes(extension.toLowerCase()) ? 'IMG' : 'DOCUMENT');
      const url = `https://${p.portalId}.fs1.hubspotusercontent-na1.net/hubfs/${p.portalId}/${encodeURIComponent(o.name)}`;
      const file: FileRecord = { id, name: o.name, extension, type, size: o.size, access: o.access ?? 'PUBLIC_NOT_INDEXABLE', url, createdAt: Date.now() };
      p.files.push(file);
      return file;
    },
    addRole(o) {
      const role: Role = { id: state.newRoleId(), name: o.name, requiresBillingWrite: o.requiresBillingWrite ?? false };
      p.roles.push(role);
      return role;
    },
    addWorkflow(o) {
      const now = state.clock.now();
      const workflow: WorkflowRecord = { id: String(o.id), name: o.name, objectType: o.objectType ?? 'CONTACT', isEnabled: o.isEnabled ?? true, createdAt: now, updatedAt: now };
      p.workflows.set(workflow.id, workflow);
      return workflow;
    },
  };
  return view;
}

export async function startHubSpotEmulator(opts: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  const clock = createClock();
  const state = new EmulatorState(
    {
      clientId: opts.clientId ?? 'emulator-client-id',
      clientSecret: opts.clientSecret ?? 'emulator-client-secret',
      appId: opts.appId ?? 424242,
      accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 1800,
      rateLimit: opts.rateLimit ?? { max: 100, windowMs: 10_000 },
      searchPerSecond: opts.searchPerSecond ?? 5,
      dailyLimit: opts.dailyLimit,
      searchIndexDelayMs: opts.searchIndexDelayMs ?? 0,
      searchInMatching: opts.searchInMatching ?? 'lowercase-values',
      redirectUris: opts.redirectUris,
    },
    clock,
  );
  const faults = new FaultInjector(opts.faultSeed ?? 42);
  const limiter = new RateLimiter(state);
  const plans: AuthorizePlan[] = [];
  const appSide = new AppSide(state, { retrySleepCapMs: opts.retrySleepCapMs, maxFetchTimeoutMs: opts.maxFetchTimeoutMs });
  const control = express.Router();
  const app = createApp({ state, traffic: createTrafficLog(opts.trafficLog), faults, limiter, plans, control });
  const { server, url } = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  const views = new Map<number, Portal>();

  const emulator: HubSpotEmulator = {
    baseUrl: url,
    appBaseUrl: url,
    clientId: state.config.clientId,
    clientSecret: state.config.clientSecret,
    appId: state.config.appId,
    state,
    calls: state.calls,
    clock,
    workflowExecutions: appSide.workflowExecutions,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    createPortal(o = {}) {
      const portalId = o.portalId ?? state.newPortalId();
      if (state.portals.has(portalId)) throw new Error(`HubSpot emulator: portal ${portalId} already exists`);
      const p = new PortalState(portalId, o.timeZone ?? 'Asia/Tokyo', o.hasAppEventTypes ?? true, clock.now());
      if (o.appEventTypes) p.appEventTypes = new Set(o.appEventTypes);
      state.portals.set(portalId, p);
      state.lastPortalId = portalId;
      const view = portalView(state, p);
      views.set(portalId, view);
      view.addUser({ email: `admin@portal-${portalId}.example.com`, firstName: 'Super', lastName: 'Admin', superAdmin: true });
      for (const owner of o.owners ?? []) view.addOwner(owner);
      return view;
    },
    portal(portalId) {
      const v = views.get(portalId);
      if (!v) throw new Error(`HubSpot emulator: no portal ${portalId}`);
      return v;
    },
    authorize: { next: (o) => void plans.push(o) },
    issueTokens(portalId, scopes = ALL_SCOPES) {
      const { access, refresh } = install(state, portalId, 1, scopes);
      return { accessToken: access.token, refreshToken: refresh.token, expiresIn: state.config.accessTokenTtlSeconds };
    },
    revokeRefreshToken: (t) => void revokeRefreshToken(state, t),
    uninstall: (portalId) => uninstall(state, portalId),
    faults: { inject: (f) => faults.inject(f), clear: () => faults.clear() },
    limits: {
      set(o) {
        if (o.rateLimit) state.config.rateLimit = o.rateLimit;
        if (o.searchPerSecond !== undefined) state.config.searchPerSecond = o.searchPerSecond;
        if ('dailyLimit' in o) state.config.dailyLimit = o.dailyLimit;
      },
      reset: () => limiter.reset(),
    },
    hubspotFetch: (u, o) => appSide.hubspotFetch(u, o),
    fetches: appSide.fetches,
    fetchPeakInFlight: (portalId) => appSide.peakInFlight.get(portalId) ?? 0,
    permitFetchUrls: (prefixes) => {
      appSide.permittedFetchUrls = prefixes;
    },
    executeWorkflowAction: (o) => appSide.executeWorkflowAction(o),
    sendWebhooks: (u, e, o) => appSide.sendWebhooks(u, e, o),
    callOptionsUrl: (u, o) => appSide.callOptionsUrl(u, o),
    fieldOptions: (u, o) => appSide.fieldOptions(u, o),
  };
  control.use(hubspotControlRoutes(emulator));
  return emulator;
}
