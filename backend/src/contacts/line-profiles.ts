// LINE profiles (display name, picture) of linked users, refreshed at most once a day per user,
// or at once for a new friend. A failed fetch never fails the batch: the next event tries again.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { LineApiError, lineChannel } from '../line/line-channel.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { nowMs } from '../db/database.ts';
import { updateLink, type LinkRecord } from './links.ts';

export const PROFILE_REFRESH_MS = 24 * 60 * 60 * 1000;
const PARALLEL_FETCHES = 8;

export function profileIsStale(link: LinkRecord, now = nowMs()): boolean {
  return link.profileRefreshedAt === null || now - link.profileRefreshedAt >= PROFILE_REFRESH_MS;
}

/** Refreshes the profiles of the given links (in place and in the database). */
export async function refreshProfiles(ctx: AppContext, account: LineAccount, links: LinkRecord[]): Promise<void> {
  if (links.length === 0) return;
  const line = lineChannel(ctx.config, account.channelAccessToken);
  await mapWithConcurrency(links, PARALLEL_FETCHES, async (link) => {
    const now = nowMs();
    try {
      const { lineUserId } = link;
      const profile = await line.call('profile', (c) => c.messaging.getProfile(lineUserId));
      link.displayName = profile.displayName.slice(0, 255);
      link.pictureUrl = profile.pictureUrl ?? null;
      link.profileRefreshedAt = now;
      await updateLink(ctx, link, { display_name: link.displayName, picture_url: link.pictureUrl, profile_refreshed_at: now });
    } catch (error) {
      if (error instanceof LineApiError && error.isNotFound) {
        // Not (or no longer) a friend: LINE has no profile to give; do not ask again today.
        link.profileRefreshedAt = now;
        await updateLink(ctx, link, { profile_refreshed_at: now });
      } else {
        const failure = error instanceof LineApiError ? { status: error.status, requestId: error.requestId } : { err: error };
        ctx.logger.warn({ accountId: account.id, ...failure }, 'LINE profile fetch failed; will retry with the next event');
      }
    }
  });
}
