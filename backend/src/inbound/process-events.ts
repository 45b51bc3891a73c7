// Processes a batch of stored webhook events of one LINE account: each event's local effects first
// (conversation log, link, group membership), then one HubSpot pass for the whole batch (profiles,
// contacts, properties, tasks, timeline) so a burst costs a few batch calls instead of calls per event.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';
import { loadLinks, type LinkRecord } from '../contacts/links.ts';
import { profileIsStale, refreshProfiles } from '../contacts/line-profiles.ts';
import { resolveContacts } from '../contacts/resolve-contacts.ts';
import { syncContacts, type ContactSync } from '../conversation/sync-contacts.ts';
import { storeReplyToken } from '../chat/reply-tokens.ts';
import { hubspotFor } from '../hubspot/portal-client.ts';
import type { EventEffect, StoredEvent } from './event-effects.ts';
import { EVENT_HANDLERS } from './event-handlers.ts';
import { SharedPasses } from './shared-passes.ts';

export interface BatchOutcome {
  /** Events whose processing failed, by webhookEventId (the error decides retry or dead-letter). */
  failed: Map<string, unknown>;
  /** LINE users whose contact creation waits for HubSpot's search index: their events run again shortly. */
  deferredUsers: Set<string>;
}

async function handleLocally(ctx: AppContext, account: LineAccount, stored: StoredEvent): Promise<EventEffect> {
  const handler = EVENT_HANDLERS[stored.event.type];
  if (!handler) {
    ctx.logger.info({ accountId: account.id, type: stored.event.type, webhookEventId: stored.webhookEventId }, 'unknown LINE event type; skipped');
    return { outcome: 'skipped' };
  }
  const effect = await handler(ctx, account, stored);
  // The chat panel answers with the free reply API while the user's latest token is fresh.
  await storeReplyToken(ctx, account.id, { ...stored.event, replyToken: typeof stored.event.replyToken === 'string' ? stored.event.replyToken : undefined });
  return effect;
}

type Wanted = EventEffect & { lineUserId: string };

/** Per backend (tests run several in one process), per LINE account: see shared-passes.ts. */
const hubspotPasses = new WeakMap<AppContext, SharedPasses<Wanted, Set<string>>>();

function hubspotPassesOf(ctx: AppContext): SharedPasses<Wanted, Set<string>> {
  let passes = hubspotPasses.get(ctx);
  if (!passes) hubspotPasses.set(ctx, (passes = new SharedPasses()));
  return passes;
}

export async function processAccountEvents(ctx: AppContext, account: LineAccount, events: StoredEvent[]): Promise<BatchOutcome> {
  const failed = new Map<string, unknown>();
  const effects = new Map<string, EventEffect>();
  for (const stored of events) {
    try {
      effects.set(stored.webhookEventId, await handleLocally(ctx, account, stored));
    } catch (error) {
      failed.set(stored.webhookEventId, error);
    }
  }
  const wanted = [...effects.values()].filter((e): e is Wanted => !!e.lineUserId && !!e.contact);
  let deferredUsers = new Set<string>();
  if (wanted.length) {
    try {
      deferredUsers = await hubspotPassesOf(ctx).run(account.id, wanted, (all) => syncWithHubSpot(ctx, account, all));
    } catch (error) {
      for (const webhookEventId of effects.keys()) failed.set(webhookEventId, error);
      return { failed, deferredUsers };
    }
  }
  await markProcessed(ctx, account, effects, failed, deferredUsers);
  return { failed, deferredUsers };
}

/** Profiles, contacts and the contacts' HubSpot side for these effects; answers the users whose contact must wait. */
async function syncWithHubSpot(ctx: AppContext, account: LineAccount, wanted: Wanted[]): Promise<Set<string>> {
  const links = await loadLinks(ctx, account, wanted.map((e) => e.lineUserId));
  const creating = new Set(wanted.filter((e) => e.contact === 'create').map((e) => e.lineUserId));
  const forced = new Set(wanted.filter((e) => e.refreshProfile).map((e) => e.lineUserId));
  await refreshProfiles(
    ctx,
    account,
    [...links.values()].filter((l) => creating.has(l.lineUserId) && l.followStatus !== 'blocked' && (forced.has(l.lineUserId) || profileIsStale(l))),
  );
  const hs = await hubspotFor(ctx, account.portalId);
  const requests = [...links.values()].map((link) => ({ link, create: creating.has(link.lineUserId) }));
  const deferredUsers = await resolveContacts(ctx, hs, account, requests);
  await syncContacts(ctx, hs, account, contactSyncs(links, wanted, deferredUsers));
  return deferredUsers;
}

function contactSyncs(links: Map<string, LinkRecord>, effects: Wanted[], deferred: Set<string>): ContactSync[] {
  const syncs = new Map<string, ContactSync>();
  for (const effect of effects) {
    const link = links.get(effect.lineUserId);
    if (!link || deferred.has(effect.lineUserId)) continue;
    const sync = syncs.get(effect.lineUserId) ?? { link, timelineMessageIds: [], rerenderNote: false };
    sync.timelineMessageIds.push(...(effect.timelineMessageIds ?? []));
    sync.rerenderNote ||= effect.rerenderNote === true;
    syncs.set(effect.lineUserId, sync);
  }
  return [...syncs.values()];
}

async function markProcessed(ctx: AppContext, account: LineAccount, effects: Map<string, EventEffect>, failed: Map<string, unknown>, deferred: Set<string>): Promise<void> {
  const now = nowMs();
  for (const outcome of ['handled', 'skipped'] as const) {
    const ids = [...effects.entries()]
      .filter(([id, e]) => e.outcome === outcome && !failed.has(id) && !(e.lineUserId && deferred.has(e.lineUserId)))
      .map(([id]) => id);
    for (let i = 0; i < ids.length; i += 500) {
      // Processed: the payload (what the user wrote) is no longer needed; the row stays to dedupe redeliveries.
      await ctx.db('inbound_events').where({ line_account_id: account.id }).whereIn('webhook_event_id', ids.slice(i, i + 500)).update({ processed_at: now, outcome, payload: null });
    }
  }
}
