// Members who write in a group become contacts as 1:1 users do (their link, a contact carrying their LINE
// user ID, or a new contact when the account auto-creates contacts: contacts/ decides), and each is
// associated with the group's company. A member's name comes from the group member profile when the
// account has no profile of its own for them (they need not be friends of the account). Members of many
// groups of one account are resolved together: one search, one create and one association call per 100.
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { ensureLinks, updateLink, type LinkRecord } from '../contacts/links.ts';
import { resolveContacts } from '../contacts/resolve-contacts.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import { markMemberAssociated, type GroupMember } from './group-members.ts';
import type { GroupKey } from './groups.ts';

const CHUNK = 100;

/** A member of a linked group whose contact is to be associated with the group's company. */
export interface MemberOfCompany {
  key: GroupKey;
  companyId: number;
  member: GroupMember;
}

/** Whether the member is still to be associated: never yet with this company, or since as another contact (or none). */
export function associationDue(member: GroupMember, companyId: number, link: LinkRecord | undefined): boolean {
  return member.associatedCompanyId !== companyId || !link || link.contactId === null || link.contactId !== member.associatedContactId;
}

/** Resolves the members' contacts and associates each with its company; answers the members still waiting for HubSpot's search index. */
export async function associateMembers(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, members: MemberOfCompany[]): Promise<Set<string>> {
  if (members.length === 0) return new Set();
  const known = await ensureLinks(ctx, account, [...new Set(members.map((w) => w.member.lineUserId))]);
  const wanted = members.filter((w) => associationDue(w.member, w.companyId, known.get(w.member.lineUserId)));
  if (wanted.length === 0) return new Set();
  const links = new Map(wanted.map((w) => [w.member.lineUserId, known.get(w.member.lineUserId)!]));
  for (const { member } of wanted) {
    const link = links.get(member.lineUserId);
    if (!link || link.displayName !== null || member.displayName === null) continue;
    Object.assign(link, { displayName: member.displayName, pictureUrl: member.pictureUrl });
    await updateLink(ctx, link, { display_name: member.displayName, picture_url: member.pictureUrl });
  }
  const deferred = await resolveContacts(ctx, hs, account, [...links.values()].map((link) => ({ link, create: true })));
  const ready = wanted.flatMap((w) => {
    const contactId = links.get(w.member.lineUserId)?.contactId;
    return contactId === null || contactId === undefined ? [] : [{ ...w, contactId }];
  });
  for (let i = 0; i < ready.length; i += CHUNK) {
    const inputs = ready.slice(i, i + CHUNK).map((r) => ({ _from: { id: String(r.companyId) }, to: { id: String(r.contactId) } }));
    await hs.call('companies.contacts.associate', (client) => client.crm.associations.v4.batchApi.createDefault('companies', 'contacts', { inputs }));
  }
  for (const r of ready) await markMemberAssociated(ctx, r.key, r.member.lineUserId, { companyId: r.companyId, contactId: r.contactId });
  return deferred;
}
