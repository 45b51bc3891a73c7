// The names of a portal's contact or company properties, to tell a token naming a property that does not
// exist (a configuration error) from one whose value is empty. Read through the properties API and kept a
// few minutes per portal and object type, so a batch of executions costs one call, and a property created
// meanwhile counts soon.
import type { AppContext } from '../context.ts';
import { hubspotFor } from '../hubspot/portal-client.ts';
import type { CrmObjectType } from './action-objects.ts';

const KEEP_MS = 5 * 60_000;

type Entry = { names: Promise<Set<string>>; until: number };
const cached = new WeakMap<AppContext, Map<string, Entry>>();

export function objectPropertyNames(ctx: AppContext, portalId: number, objectType: CrmObjectType): Promise<Set<string>> {
  const portals = cached.get(ctx) ?? new Map<string, Entry>();
  cached.set(ctx, portals);
  const key = `${portalId}:${objectType}`;
  const hit = portals.get(key);
  if (hit && hit.until > Date.now()) return hit.names;
  const names = (async () => {
    const hubspot = await hubspotFor(ctx, portalId);
    const all = await hubspot.call('properties.read-all', (c) => c.crm.properties.coreApi.getAll(objectType, false));
    return new Set(all.results.map((p) => p.name));
  })();
  const entry = { names, until: Date.now() + KEEP_MS };
  portals.set(key, entry);
  names.catch(() => {
    if (portals.get(key) === entry) portals.delete(key);
  });
  return names;
}
