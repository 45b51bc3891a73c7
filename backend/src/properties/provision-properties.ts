// Provisioning of the "LINE" contact property group and the LINE properties of every connected account,
// and of the "LINE group" company property group with the LINE group properties of every account
// (account 1 always, so lists and workflows can use them from the install on). Idempotent: missing
// definitions are created in one batch, definitions that differ are corrected with a PATCH each, and a
// run that finds everything right makes two read calls per object type only. The accounts are passed in: accounts/ owns
// them and runs the job (accounts/provision-properties-job.ts), since it also queues provisioning here.
import type { Knex } from 'knex';
import type { Property, PropertyCreate, PropertyUpdate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { declareJob, jobOf } from '../jobs/define-job.ts';
import { PermanentJobError } from '../jobs/job-errors.ts';
import { HubSpotApiError } from '../hubspot/api-error.ts';
import { companyPropertiesFor, LINE_GROUP_PROPERTY_GROUP } from './company-properties.ts';
import { contactPropertiesFor, LINE_PROPERTY_GROUP, propertyDifferences, type AccountForProperties, type ContactPropertyDefinition } from './contact-properties.ts';
import { hubspotFor, type HubSpotPortal } from '../hubspot/portal-client.ts';

const BATCH_LIMIT = 100;

/** Provisioning of one portal's properties, as a job; the accounts feature runs it with the portal's accounts. */
export const propertyProvisioning = declareJob({
  type: 'hubspot.provision-properties',
  payload: z.object({ portalId: z.number().int().positive() }),
});

/**
 * Queues provisioning for a portal (call it after install and whenever a LINE account is added or renamed,
 * inside the same transaction when there is one). A job already waiting for this portal will see the new
 * state when it runs, so no second one is queued, but it is brought forward in case it was waiting out a
 * retry delay; a running one may have read the old state, so then one more is queued.
 */
export async function enqueueProvisioning(ctx: AppContext, portalId: number, trx?: Knex.Transaction): Promise<void> {
  if (await ctx.queue.bringForwardQueued(propertyProvisioning.type, portalId, trx)) return;
  await ctx.queue.enqueue(jobOf(propertyProvisioning, { portalId }, { portalId, partitionKey: `${propertyProvisioning.type}:${portalId}` }), trx);
}

export interface ProvisioningResult {
  groupCreated: boolean;
  created: string[];
  updated: string[];
}

function wantedProperties(connected: AccountForProperties[], definitions: (account: AccountForProperties) => ContactPropertyDefinition[]): ContactPropertyDefinition[] {
  const accounts = new Map<number, string | undefined>([[1, undefined]]);
  for (const account of connected) accounts.set(account.sequence, account.displayName);
  return [...accounts.entries()].sort(([a], [b]) => a - b).flatMap(([sequence, displayName]) => definitions({ sequence, displayName }));
}

/** What one CRM object type gets: a property group and the definitions in it. */
interface ObjectProperties {
  objectType: 'contacts' | 'companies';
  group: { name: string; label: string; displayOrder: number };
  wanted: ContactPropertyDefinition[];
}

async function ensureGroup(hs: HubSpotPortal, { objectType, group: wanted }: ObjectProperties): Promise<boolean> {
  try {
    const group = await hs.call('properties.groups.read', (c) => c.crm.properties.groupsApi.getByName(objectType, wanted.name));
    if (group.label !== wanted.label) {
      await hs.call('properties.groups.update', (c) => c.crm.properties.groupsApi.update(objectType, wanted.name, { label: wanted.label }));
    }
    return false;
  } catch (error) {
    if (!(error instanceof HubSpotApiError) || error.status !== 404) throw error;
  }
  await hs.call('properties.groups.create', (c) => c.crm.properties.groupsApi.create(objectType, { ...wanted }));
  return true;
}

function createInput(def: ContactPropertyDefinition): PropertyCreate {
  return { ...def, type: def.type as PropertyCreate['type'], fieldType: def.fieldType as PropertyCreate['fieldType'] };
}

/**
 * Makes the portal's LINE properties match its connected accounts (account 1 even when none is connected):
 * the contact properties, and the company properties of LINE groups.
 */
export async function provisionProperties(ctx: AppContext, portalId: number, accounts: AccountForProperties[]): Promise<ProvisioningResult> {
  const hs = await hubspotFor(ctx, portalId);
  const contacts = await provisionObject(hs, portalId, { objectType: 'contacts', group: LINE_PROPERTY_GROUP, wanted: wantedProperties(accounts, contactPropertiesFor) });
  const companies = await provisionObject(hs, portalId, { objectType: 'companies', group: LINE_GROUP_PROPERTY_GROUP, wanted: wantedProperties(accounts, companyPropertiesFor) });
  const result = {
    groupCreated: contacts.groupCreated || companies.groupCreated,
    created: [...contacts.created, ...companies.created.map((n) => `companies.${n}`)],
    updated: [...contacts.updated, ...companies.updated.map((n) => `companies.${n}`)],
  };
  ctx.logger.info({ portalId, groupCreated: result.groupCreated, created: result.created.length, updated: result.updated }, 'LINE contact and company properties provisioned');
  return result;
}

async function provisionObject(hs: HubSpotPortal, portalId: number, target: ObjectProperties): Promise<ProvisioningResult> {
  const { objectType, wanted } = target;
  const groupCreated = await ensureGroup(hs, target);
  const existing = await hs.call('properties.read-all', (c) => c.crm.properties.coreApi.getAll(objectType, false));
  const byName = new Map<string, Property>(existing.results.map((p) => [p.name, p]));

  const missing = wanted.filter((def) => !byName.has(def.name));
  const created: string[] = [];
  const refused: string[] = [];
  for (let i = 0; i < missing.length; i += BATCH_LIMIT) {
    const inputs = missing.slice(i, i + BATCH_LIMIT).map(createInput);
    const response = await hs.call('properties.batch-create', (c) => c.crm.properties.batchApi.create(objectType, { inputs }));
    for (const property of response.results) {
      created.push(property.name);
      byName.set(property.name, property);
    }
    const errors = 'errors' in response ? (response.errors ?? []) : [];
    refused.push(...errors.map((e) => `${e.category}: ${e.message} ${JSON.stringify(e.context ?? {})}`));
  }
  const updated: string[] = [];
  for (const def of wanted) {
    const current = byName.get(def.name);
    if (!current) continue;
    const patch = propertyDifferences(def, current);
    if (Object.keys(patch).length === 0) continue;
    await hs.call('properties.update', (c) => c.crm.properties.coreApi.update(objectType, def.name, patch as PropertyUpdate));
    updated.push(def.name);
  }
  // Checked last, so that what can be corrected is corrected before reporting what cannot be created.
  if (refused.length > 0) {
    // A concurrent run may have created some meanwhile: only what is still missing is a real problem.
    const now = await hs.call('properties.read-all', (c) => c.crm.properties.coreApi.getAll(objectType, false));
    for (const property of now.results) byName.set(property.name, property);
    const stillMissing = wanted.filter((def) => !byName.has(def.name)).map((def) => def.name);
    if (stillMissing.length > 0) {
      // Typically a property of that name was deleted (archived) in HubSpot: it has to be restored there.
      throw new PermanentJobError(`HubSpot refused to create LINE ${objectType} properties ${stillMissing.join(', ')} in portal ${portalId}: ${refused.join('; ')}`);
    }
  }
  return { groupCreated, created, updated };
}
