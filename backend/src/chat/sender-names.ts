// Who wrote each message, by name: the customer by their LINE display name, a rep by the name HubSpot
// knows them by (a signed hubspot.fetch call carries only their id and email). Names change rarely, so
// HubSpot is asked once an hour per portal and user, and a page never waits long for it: a name that
// comes late shows on the next answer, and until then the email stored at send time stands in.
import type { AppContext } from '../context.ts';
import type { MessageRow } from '../conversation/messages.ts';
import { PortalUserCache } from '../hubspot/portal-user-cache.ts';
import { findPortalUser } from '../hubspot/portal-users.ts';
import { senderUserId, type SenderNames } from './message-view.ts';

const NAME_TTL_MS = 60 * 60 * 1000;
const caches = new WeakMap<AppContext, PortalUserCache>();

function cacheOf(ctx: AppContext): PortalUserCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new PortalUserCache({ ttlMs: NAME_TTL_MS })));
  return cache;
}

async function lookUp(ctx: AppContext, portalId: number, userId: number): Promise<void> {
  try {
    cacheOf(ctx).set(portalId, userId, await findPortalUser(ctx, portalId, userId));
  } catch (error) {
    // Not cached: the next page asks again. The stored email is shown meanwhile.
    ctx.logger.warn({ portalId, userId, err: error instanceof Error ? error.message : String(error) }, 'could not read a HubSpot user\'s name');
  }
}

/** Asks HubSpot for the names not known yet, waiting at most hubspot.userNameWaitMs; a late answer still fills the cache. */
export async function learnNames(ctx: AppContext, portalId: number, userIds: Array<number | null | undefined>): Promise<void> {
  const cache = cacheOf(ctx);
  const unknown = [...new Set(userIds)].filter((id): id is number => typeof id === 'number' && cache.get(portalId, id) === undefined);
  if (unknown.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, ctx.config.timings.hubspot.userNameWaitMs)));
  await Promise.race([Promise.all(unknown.map((id) => lookUp(ctx, portalId, id))), patience]).finally(() => clearTimeout(timer));
}

export async function senderNamesFor(ctx: AppContext, portalId: number, customer: string | null, rows: MessageRow[]): Promise<SenderNames> {
  await learnNames(ctx, portalId, rows.map((r) => senderUserId(r.sent_by)));
  const cache = cacheOf(ctx);
  return { customer, user: (userId) => cache.get(portalId, userId)?.name ?? null };
}
