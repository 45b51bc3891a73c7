// The names of a portal's contact properties, to tell a token naming a property that does not exist
// (a configuration error) from one whose value is empty. Read through the properties API and kept a few
// minutes per portal, so a batch of executions costs one call, and a property created meanwhile counts soon.
import type { AppContext } from '../context.ts';
import { hubspotFor } from '../hubspot/portal-client.ts';

const KEEP_MS = 5 * 60_000;

const cached = new WeakMap<AppContext, Map<number, { names: Promise<Set<string>>; until: number }>>();

export function contactPropertyNames(ctx: AppContext, portalId: number): Promise<Set<string>> {
  const portals = cached.get(ctx) ?? new Map<number, { names: Promise<Set<string>>; until: number }>();
  cached.set(ctx, portals);
  const hit = portals.get(portalId);
  if (hit && hit.until > Date.now()) return hit.names;
  const names = (async () => {
    const hubspot = await hubspotFor(ctx, portalId);
    const all = await hubspot.call('properties.read-all', (c) => c.crm.properties.coreApi.getAll('contacts', false));
    return new Set(all.results.map((p) => p.name));
  })();
  const entry = { names, until: Date.now() + KEEP_MS };
  portals.set(portalId, entry);
  names.catch(() => {
    if (portals.get(portalId) === entry) portals.delete(portalId);
  });
  return names;
}
