// What HubSpot said about a user is kept a minute, per portal, in bounded memory.
import { describe, expect, it } from 'vitest';
import { PORTAL_USER_TTL_MS, PortalUserCache } from '../../backend/src/hubspot/portal-user-cache.ts';

const admin = { id: 7, name: 'Aiko Sato', superAdmin: true, roleIds: [] };

describe('PortalUserCache', () => {
  it('answers for a minute, then knows nothing', () => {
    let now = 1_000_000;
    const cache = new PortalUserCache({ clock: () => now });
    cache.set(1, 7, admin);
    cache.set(1, 8, null);
    now += PORTAL_USER_TTL_MS - 1;
    expect(cache.get(1, 7)).toEqual(admin);
    expect(cache.get(1, 8)).toBeNull();
    now += 1;
    expect(cache.get(1, 7)).toBeUndefined();
    expect(cache.get(1, 8)).toBeUndefined();
  });

  it('never answers for the same user in another portal', () => {
    const cache = new PortalUserCache();
    cache.set(1, 7, admin);
    expect(cache.get(2, 7)).toBeUndefined();
    expect(cache.get(17, 7)).toBeUndefined();
  });

  it('drops the oldest answer when full', () => {
    const cache = new PortalUserCache({ maxEntries: 3 });
    for (const userId of [1, 2, 3]) cache.set(1, userId, admin);
    cache.set(1, 1, admin);
    cache.set(1, 4, admin);
    expect([1, 2, 3, 4].map((userId) => cache.get(1, userId) !== undefined)).toEqual([true, false, true, true]);
  });
});
