// The HubSpot company of a LINE group: created (named after the group) when the account auto-creates
// companies, and written with the group's "LINE group" properties. A create is never retried blindly:
// company_create_started_at is stored first, and while it is recent a retry looks the company up by its
// line_group_id instead of creating a second one (HubSpot's search sees a new company only after a while).
import { COMPANY_FILTER_EQ } from '../hubspot/crm-enum-values.ts';
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { nowMs } from '../db/database.ts';
import { HubSpotApiError, type HubSpotPortal } from '../hubspot/portal-client.ts';
import { RetryJobError } from '../jobs/job-errors.ts';
import { LINE_GROUP_PROPERTY_BASES, lineGroupPropertyName, type LineGroupPropertyBase } from '../properties/company-properties.ts';
import type { GroupConversation } from './group-conversations.ts';
import { linkGroup, markCompanyCreateStarted, unlinkGroup, type GroupRecord } from './groups.ts';

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** The whole set of the group's company properties (empty values clear), so a retried write is harmless. */
export function groupCompanyProperties(account: LineAccount, group: GroupRecord, conversation: GroupConversation): Record<string, string> {
  const values: Record<LineGroupPropertyBase, string> = {
    line_group_id: group.groupId,
    line_group_name: group.name ?? '',
    line_group_picture_url: group.pictureUrl ?? '',
    line_group_member_count: group.memberCount === null ? '' : String(group.memberCount),
    line_group_joined_at: iso(group.joinedAt),
    line_group_left_at: iso(group.leftAt),
    line_group_unanswered: String(conversation.unanswered),
    line_group_unanswered_message: conversation.unanswered ? (conversation.unansweredMessage ?? '') : '',
    line_group_last_inbound_at: iso(conversation.lastInboundAt),
    line_group_last_outbound_at: iso(conversation.lastOutboundAt),
  };
  return Object.fromEntries(Object.entries(values).map(([base, value]) => [lineGroupPropertyName(base as LineGroupPropertyBase, account.sequence), value]));
}

async function findCompanyByGroupId(hs: HubSpotPortal, account: LineAccount, groupId: string): Promise<number | undefined> {
  const propertyName = lineGroupPropertyName('line_group_id', account.sequence);
  const page = await hs.call('companies.search', (client) =>
    client.crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName, operator: COMPANY_FILTER_EQ, value: groupId }] }], properties: [propertyName], sorts: [], limit: 10, after: '0' }),
  );
  const ids = page.results.map((c) => Number(c.id)).sort((a, b) => a - b);
  return ids[0];
}

/**
 * Gives the group a new company named after it; answers the company the group is linked to afterwards
 * (an agent may have linked one on the card meanwhile: then the new company is not made, or left unlinked).
 */
export async function createCompanyForGroup(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, group: GroupRecord, conversation: GroupConversation): Promise<number | undefined> {
  const now = nowMs();
  let companyId: number | undefined;
  if (group.companyCreateStartedAt !== null) {
    companyId = await findCompanyByGroupId(hs, account, group.groupId);
    if (companyId === undefined && now - group.companyCreateStartedAt < ctx.config.timings.contacts.searchIndexLagMs) {
      throw new RetryJobError('waiting for HubSpot search to see a company created moments ago', { delayMs: ctx.config.timings.contacts.searchRecheckMs, countAttempt: false });
    }
  }
  if (companyId === undefined) {
    await markCompanyCreateStarted(ctx, group, now);
    try {
      const properties = { name: group.name ?? `LINE group ${group.groupId.slice(-6)}`, ...groupCompanyProperties(account, group, conversation) };
      const created = await hs.call('companies.create', (client) => client.crm.companies.basicApi.create({ properties, associations: [] }), { idempotent: false });
      companyId = Number(created.id);
    } catch (error) {
      // Refused: nothing was made, the next attempt creates at once. Unknown: a slow create may have committed now.
      await markCompanyCreateStarted(ctx, group, error instanceof HubSpotApiError && !error.isTransient ? null : nowMs());
      throw error;
    }
  }
  const outcome = await linkGroup(ctx, group, companyId, 'auto_created');
  if (outcome !== 'linked') {
    ctx.logger.warn({ accountId: account.id, companyId, outcome }, 'company created for a LINE group that was linked meanwhile; left unlinked');
    return undefined;
  }
  ctx.logger.info({ accountId: account.id, companyId }, 'company created for a LINE group');
  return companyId;
}

/** Empties the group's properties on a company the group is no longer linked to (a deleted company has none left). */
export async function clearCompanyProperties(hs: HubSpotPortal, account: LineAccount, companyId: number): Promise<void> {
  const properties = Object.fromEntries(LINE_GROUP_PROPERTY_BASES.map((base) => [lineGroupPropertyName(base, account.sequence), '']));
  try {
    await hs.call('companies.update', (client) => client.crm.companies.basicApi.update(String(companyId), { properties }));
  } catch (error) {
    if (!(error instanceof HubSpotApiError && error.status === 404)) throw error;
  }
}

/** Writes the group's properties on its company; a company deleted in HubSpot unlinks the group (false). */
export async function writeCompanyProperties(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, group: GroupRecord & { companyId: number }, conversation: GroupConversation): Promise<boolean> {
  try {
    await hs.call('companies.update', (client) => client.crm.companies.basicApi.update(String(group.companyId), { properties: groupCompanyProperties(account, group, conversation) }));
    return true;
  } catch (error) {
    if (!(error instanceof HubSpotApiError && error.status === 404)) throw error;
    ctx.logger.warn({ accountId: account.id, companyId: group.companyId }, 'company of a LINE group no longer exists; link cleared');
    await unlinkGroup(ctx, group, group.companyId);
    return false;
  }
}
