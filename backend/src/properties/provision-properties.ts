// Provisioning of the "LINE" contact property group and the LINE properties of every connected account
// (account 1 always, so lists and workflows can use them from the install on). Idempotent: missing
// definitions are created in one batch, definitions that differ are corrected with a PATCH each, and a
// run that finds everything right makes two read calls only. The accounts are passed in: accounts/ owns
// them and runs the job (accounts/provision-properties-job.ts), since it also queues provisioning here.
import type { Knex } from 'knex';
import type { Property, PropertyCreate, PropertyUpdate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { declareJob, jobOf } from '../jobs/define-job.ts';
import { PermanentJobError } from '../jobs/job-errors.ts';
import { HubSpotApiError } from '../hubspot/api-error.ts';
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

function wantedProperties(connected: AccountForProperties[]): ContactPropertyDefinition[] {
  const accounts = new Map<number, string | undefined>([[1, undefined]]);
  for (const account of connected) accounts.set(account.sequence, account.displayName);
  return [...accounts.entries()].sort(([a], [b]) => a - b).flatMap(([sequence, displayName]) => contactPropertiesFor({ sequence, displayName }));
}

async function ensureGroup(hs: HubSpotPortal): Promise<boolean> {
  try {
    const group = await hs.call('properties.groups.read', (c) => c.crm.properties.groupsApi.getByName('contacts', LINE_PROPERTY_GROUP.name));
    if (group.label !== LINE_PROPERTY_GROUP.label) {
      await hs.call('properties.groups.update', (c) => c.crm.properties.groupsApi.update('contacts', LINE_PROPERTY_GROUP.name, { label: LINE_PROPERTY_GROUP.label }));
    }
    return false;
  } catch (error) {
    if (!(error instanceof HubSpotApiError) || error.status !== 404) throw error;
  }
  await hs.call('properties.groups.create', (c) => c.crm.properties.groupsApi.create('contacts', { ...LINE_PROPERTY_GROUP }));
  return true;
}

function createInput(def: ContactPropertyDefinition): PropertyCreate {
  return { ...def, type: def.type as PropertyCreate['type'], fieldType: def.fieldType as PropertyCreate['fieldType'] };
}

/** Makes the portal's LINE properties match its connected accounts (account 1 even when none is connected). */
export async function provisionProperties(ctx: AppContext, portalId: number, accounts: AccountForProperties[]): Promise<ProvisioningResult> {
  const hs = await hubspotFor(ctx, portalId);
  const wanted = wantedProperties(accounts);
  const groupCreated = await ensureGroup(hs);
  const existing = await hs.call('properties.read-all', (c) => c.crm.properties.coreApi.getAll('contacts', false));
  const byName = new Map<string, Property>(existing.results.map((p) => [p.name, p]));

  const missing = wanted.filter((def) => !byName.has(def.name));
  const created: string[] = [];
  const refused: string[] = [];
  for (let i = 0; i < missing.length; i += BATCH_LIMIT) {
    const inputs = missing.slice(i, i + BATCH_LIMIT).map(createInput);
    const response = await hs.call('properties.batch-create', (c) => c.crm.properties.batchApi.create('contacts', { inputs }));
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
    await hs.call('properties.update', (c) => c.crm.properties.coreApi.update('contacts', def.name, patch as PropertyUpdate));
    updated.push(def.name);
  }
  // Checked last, so that what can be corrected is corrected before reporting what cannot be created.
  if (refused.length > 0) {
    // A concurrent run may have created some meanwhile: only what is still missing is a real problem.
    const now = await hs.call('properties.read-all', (c) => c.crm.properties.coreApi.getAll('contacts', false));
    for (const property of now.results) byName.set(property.name, property);
    const stillMissing = wanted.filter((def) => !byName.has(def.name)).map((def) => def.name);
    if (stillMissing.length > 0) {
      // Typically a property of that name was deleted (archived) in HubSpot: it has to be restored there.
      throw new PermanentJobError(`HubSpot refused to create LINE properties ${stillMissing.join(', ')} in portal ${portalId}: ${refused.join('; ')}`);
    }
  }
  ctx.logger.info({ portalId, groupCreated, created: created.length, updated }, 'LINE contact properties provisioned');
  return { groupCreated, created, updated };
}
