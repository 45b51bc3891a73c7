// Finds the owner task or session note that a create made for a group's company although its answer was
// lost (5xx after HubSpot committed, timeout, crash): before each create its hs_timestamp is stored on the
// group conversation, and a retry looks for an object with that hs_timestamp among the company's
// associations (read from the records, not the search index, so one not found now was not created).
import type { HubSpotPortal } from '../hubspot/portal-client.ts';

const READ_BATCH = 100;
const epochMs = (value: string | null | undefined) => (value && /^\d+$/.test(value) ? Number(value) : Date.parse(value ?? ''));

export async function findLostCompanyCreate(hs: HubSpotPortal, objectType: 'notes' | 'tasks', companyId: number, timestamp: number): Promise<string | undefined> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await hs.call(`companies.${objectType}.associations.read`, (client) => client.crm.associations.v4.basicApi.getPage('companies', String(companyId), objectType, after, 500));
    ids.push(...page.results.map((r) => String(r.toObjectId)));
    after = page.paging?.next?.after;
  } while (after);
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const inputs = ids.slice(i, i + READ_BATCH).map((id) => ({ id }));
    const page = await hs.call(`${objectType}.batch.read`, (client) => client.crm.objects.batchApi.read(objectType, { inputs, properties: ['hs_timestamp'], propertiesWithHistory: [] }));
    const found = page.results.find((o) => epochMs(o.properties.hs_timestamp) === timestamp);
    if (found) return found.id;
  }
  return undefined;
}
