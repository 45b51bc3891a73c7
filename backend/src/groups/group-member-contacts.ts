// Members who write in a group become contacts as 1:1 users do (their link, a contact carrying their LINE
// user ID, or a new contact when the account auto-creates contacts: contacts/ decides), and each is
// associated with the group's company. A member's name comes from the group member profile when the
// account has no profile of its own for them (they need not be friends of the account).
import type { AppContext } from '../context.ts';
import type { LineAccount } from '../accounts/repository.ts';
import { ensureLinks, updateLink } from '../contacts/links.ts';
import { resolveContacts } from '../contacts/resolve-contacts.ts';
import type { HubSpotPortal } from '../hubspot/portal-client.ts';
import type { GroupMember } from './group-members.ts';

const CHUNK = 100;

/** Resolves the members' contacts and associates them with the company; answers the members still waiting for HubSpot's search index. */
export async function associateMembers(ctx: AppContext, hs: HubSpotPortal, account: LineAccount, companyId: number, members: GroupMember[]): Promise<Set<string>> {
  if (members.length === 0) return new Set();
  const links = await ensureLinks(ctx, account, members.map((m) => m.lineUserId));
  for (const member of members) {
    const link = links.get(member.lineUserId);
    if (!link || link.displayName !== null || member.displayName === null) continue;
    Object.assign(link, { displayName: member.displayName, pictureUrl: member.pictureUrl });
    await updateLink(ctx, link, { display_name: member.displayName, picture_url: member.pictureUrl });
  }
  const deferred = await resolveContacts(ctx, hs, account, [...links.values()].map((link) => ({ link, create: true })));
  const contactIds = [...links.values()].flatMap((link) => (link.contactId === null ? [] : [link.contactId]));
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const inputs = contactIds.slice(i, i + CHUNK).map((id) => ({ _from: { id: String(companyId) }, to: { id: String(id) } }));
    await hs.call('companies.contacts.associate', (client) => client.crm.associations.v4.batchApi.createDefault('companies', 'contacts', { inputs }));
  }
  return deferred;
}
