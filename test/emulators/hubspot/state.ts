// In-memory state of the emulated HubSpot: portals with their CRM data, tokens, the clock, recorded calls.
import { builtinProperties } from './builtin-properties.ts';
import type { GroupDef, PropertyDef } from './builtin-properties.ts';
import { ALL_OBJECT_TYPES } from './object-types.ts';
import type { ObjectTypeName } from './object-types.ts';
import type { Clock } from '../clock.ts';

export { createClock, type Clock } from '../clock.ts';

export interface CrmRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** Set when this record was merged into another one (the record is then archived). */
  mergedInto?: string;
}

export interface AssociationSpec {
  associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED' | 'WORK';
  associationTypeId: number;
}

export interface AssociationRow {
  fromType: ObjectTypeName;
  fromId: string;
  toType: ObjectTypeName;
  toId: string;
  types: AssociationSpec[];
}

export interface Owner {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  userId?: number;
  type: 'PERSON' | 'QUEUE';
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A user of the portal as the user provisioning API shows it. One person may be a user of several portals under one id. */
export interface PortalUser {
  id: number;
  email: string;
  firstName?: string;
  lastName?: string;
  superAdmin: boolean;
  /** Ids of roles of this portal (see `roles`). */
  roleIds: string[];
}

/** A file in the portal's file manager (files API v3), as the FileUpload component leaves it. */
export interface FileRecord {
  id: string;
  name: string;
  extension: string;
  /** HubSpot's kind of file: IMG, DOCUMENT, MOVIE, AUDIO, OTHER … */
  type: string;
  size: number;
  access: 'PUBLIC_INDEXABLE' | 'PUBLIC_NOT_INDEXABLE' | 'PRIVATE' | 'HIDDEN_PRIVATE';
  url: string;
  createdAt: number;
}

/** A role ("permission set") defined in the portal. */
export interface Role {
  id: string;
  name: string;
  requiresBillingWrite: boolean;
}

export interface ListRecord {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: 'MANUAL' | 'SNAPSHOT' | 'DYNAMIC';
  createdAt: number;
  updatedAt: number;
  members: Array<{ recordId: string; addedAt: number }>;
}

export interface TimelineEventRecord {
  api: 'v3' | '2026-03';
  id: string;
  /** eventTemplateId (v3) or eventTypeName (2026-03). */
  eventType: string;
  objectType: string;
  objectId?: string;
  email?: string;
  tokens: Record<string, string>;
  extraData?: unknown;
  timestamp: string;
  createdAt: number;
}

export interface CallbackCompletion {
  callbackId: string;
  outputFields: Record<string, unknown>;
  typedOutputs?: unknown;
  failureReasonType?: string;
  at: number;
  /** Whether the emulator sent this callbackId in a workflow execution. */
  known: boolean;
  batch: boolean;
}

/** A workflow as GET /automation/v4/flows/{flowId} shows it (the fields the app reads and their neighbours). */
export interface WorkflowRecord {
  id: string;
  name: string;
  /** What it enrolls. */
  objectType: 'CONTACT' | 'COMPANY';
  isEnabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export class PortalState {
  portalId: number;
  timeZone: string;
  hasAppEventTypes: boolean;
  /** When set, the only v3 eventTemplateIds / 2026-03 eventTypeNames the portal accepts. */
  appEventTypes: Set<string> | undefined;
  installed = false;
  objects: Record<ObjectTypeName, Map<string, CrmRecord>>;
  propertyDefs: Record<ObjectTypeName, Map<string, PropertyDef>>;
  groupDefs: Record<ObjectTypeName, Map<string, GroupDef>>;
  associations: AssociationRow[] = [];
  timelineEvents: TimelineEventRecord[] = [];
  owners: Owner[] = [];
  users: PortalUser[] = [];
  files: FileRecord[] = [];
  roles: Role[] = [];
  lists: ListRecord[] = [];
  callbacksCompleted: CallbackCompletion[] = [];
  workflows = new Map<string, WorkflowRecord>();

  constructor(portalId: number, timeZone: string, hasAppEventTypes: boolean, now: number) {
    this.portalId = portalId;
    this.timeZone = timeZone;
    this.hasAppEventTypes = hasAppEventTypes;
    this.appEventTypes = undefined;
    const objects = {} as Record<ObjectTypeName, Map<string, CrmRecord>>;
    const propertyDefs = {} as Record<ObjectTypeName, Map<string, PropertyDef>>;
    const groupDefs = {} as Record<ObjectTypeName, Map<string, GroupDef>>;
    for (const type of ALL_OBJECT_TYPES) {
      const seed = builtinProperties(type, now);
      objects[type] = new Map();
      propertyDefs[type] = new Map(seed.properties.map((p) => [p.name, p]));
      groupDefs[type] = new Map(seed.groups.map((g) => [g.name, g]));
    }
    this.objects = objects;
    this.propertyDefs = propertyDefs;
    this.groupDefs = groupDefs;
  }
}

export interface AccessTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  expiresAt: number;
  refreshToken?: string;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  revoked: boolean;
}

export interface AuthCodeRecord {
  code: string;
  portalId: number;
  userId: number;
  redirectUri: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface CallRecord {
  portalId?: number;
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface EmulatorConfig {
  clientId: string;
  clientSecret: string;
  appId: number;
  accessTokenTtlSeconds: number;
  rateLimit: { max: number; windowMs: number };
  searchPerSecond: number;
  dailyLimit: number | undefined;
  /** Newly created/updated objects become visible to search after this delay (HubSpot's index lag). */
  searchIndexDelayMs: number;
  /**
   * How IN and NOT_IN compare a string property: 'lowercase-values' as HubSpot's search guide documents
   * (the values must be lowercase; they match the stored value whatever its case), or 'exact' (values
   * match only as spelled), for code that must work whichever HubSpot really does.
   */
  searchInMatching: 'lowercase-values' | 'exact';
  redirectUris: string[] | undefined;
}

export class EmulatorState {
  config: EmulatorConfig;
  clock: Clock;
  portals = new Map<number, PortalState>();
  accessTokens = new Map<string, AccessTokenRecord>();
  refreshTokens = new Map<string, RefreshTokenRecord>();
  authCodes = new Map<string, AuthCodeRecord>();
  calls: CallRecord[] = [];
  /** callbackIds the emulator has sent in workflow executions, with their portal. */
  issuedCallbacks = new Map<string, number>();
  private nextObjectId = 100_001;
  private nextUserId = 3_000_001;
  private nextFileId = 190_000_000_001;
  private nextRoleId = 900_001;
  private nextPortalId = 1_000_001;
  lastPortalId: number | undefined;

  constructor(config: EmulatorConfig, clock: Clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Object ids are unique across portals, so a leaked id never finds another portal's record. */
  newObjectId(): string {
    const id = this.nextObjectId;
    this.nextObjectId += 1 + (id % 7);
    return String(id);
  }

  /** User and role ids are unique across portals, as HubSpot's are. */
  newUserId(): number {
    return this.nextUserId++;
  }

  /** File ids are unique across portals: another portal's id names nothing here. */
  newFileId(): string {
    return String(this.nextFileId++);
  }

  newRoleId(): string {
    return String(this.nextRoleId++);
  }

  newPortalId(): number {
    while (this.portals.has(this.nextPortalId)) this.nextPortalId++;
    return this.nextPortalId++;
  }

  portal(portalId: number): PortalState {
    const p = this.portals.get(portalId);
    if (!p) throw new Error(`HubSpot emulator: no portal ${portalId}`);
    return p;
  }
}
