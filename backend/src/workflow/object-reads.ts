// Property values of the enrolled records the execution request did not carry, read with HubSpot's batch
// read: one call per 100 records (HubSpot's batch limit), whatever the number of properties. A record
// HubSpot no longer has reads as empty, so its tokens show their fallbacks.
import type { AppContext } from '../context.ts';
import { hubspotFor } from '../hubspot/portal-client.ts';
import type { CrmObjectType } from './action-objects.ts';
import type { ObjectValues } from './object-tokens.ts';

export const READ_BATCH_LIMIT = 100;

export async function readObjectValues(ctx: AppContext, portalId: number, objectType: CrmObjectType, objectIds: number[], properties: string[]): Promise<Map<number, ObjectValues>> {
  const values = new Map<number, ObjectValues>();
  const ids = [...new Set(objectIds)];
  if (ids.length === 0 || properties.length === 0) return values;
  const hubspot = await hubspotFor(ctx, portalId);
  for (let i = 0; i < ids.length; i += READ_BATCH_LIMIT) {
    const inputs = ids.slice(i, i + READ_BATCH_LIMIT).map((id) => ({ id: String(id) }));
    const page = await hubspot.call(`${objectType}.batch.read`, (c) => c.crm.objects.batchApi.read(objectType, { inputs, properties, propertiesWithHistory: [] }));
    for (const record of page.results) values.set(Number(record.id), record.properties);
  }
  return values;
}
