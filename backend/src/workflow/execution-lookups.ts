// What deciding an execution reads (the portal's install, its LINE accounts, the step's message template,
// the contact's link), read once per batch of executions: each portal's rows and templates once, and the
// links of every contact of the batch on an account in one query, gathered while the batch's executions
// are being planned side by side.
import type { AppContext } from '../context.ts';
import { listAccounts, type LineAccount } from '../accounts/repository.ts';
import { findLinksOfContacts, type LinkRecord } from '../contacts/links.ts';
import { findPortalRow, type PortalRow } from '../hubspot/portals.ts';
import { findTemplate } from '../templates/repository.ts';
import type { TemplateFinder } from './step-messages.ts';

export interface ExecutionLookups {
  portal(portalId: number): Promise<PortalRow | undefined>;
  accounts(portalId: number): Promise<LineAccount[]>;
  template: TemplateFinder;
  linkOfContact(account: LineAccount, contactId: number): Promise<LinkRecord | undefined>;
}

/** `load` once per key; `keyOf` names the key of several arguments (a Map compares keys by identity). */
function memo<A extends unknown[], V>(load: (...args: A) => Promise<V>, keyOf: (...args: A) => unknown = (...args) => args[0]): (...args: A) => Promise<V> {
  const seen = new Map<unknown, Promise<V>>();
  return (...args) => {
    const key = keyOf(...args);
    if (!seen.has(key)) seen.set(key, load(...args));
    return seen.get(key)!;
  };
}

type LinkAnswer = (link: LinkRecord | undefined, error?: unknown) => void;

interface PendingLinks {
  account: LineAccount;
  contacts: Map<number, LinkAnswer[]>;
}

export function batchLookups(ctx: AppContext): ExecutionLookups {
  let pending = new Map<number, PendingLinks>();

  async function loadPending(): Promise<void> {
    const batch = pending;
    pending = new Map();
    for (const { account, contacts } of batch.values()) {
      try {
        const links = await findLinksOfContacts(ctx, account.portalId, account.id, [...contacts.keys()]);
        for (const [contactId, callers] of contacts) for (const answer of callers) answer(links.get(contactId));
      } catch (error) {
        for (const callers of contacts.values()) for (const answer of callers) answer(undefined, error);
      }
    }
  }

  return {
    portal: memo((portalId) => findPortalRow(ctx.db, portalId)),
    accounts: memo((portalId) => listAccounts(ctx, portalId)),
    template: memo((portalId: number, id: number) => findTemplate(ctx, portalId, id), (portalId, id) => `${portalId}:${id}`),
    linkOfContact(account, contactId) {
      return new Promise((resolve, reject) => {
        // Planning awaits in step (everyone awaits the same accounts), so the next turn finds them all asking.
        if (pending.size === 0) setImmediate(() => void loadPending());
        const forAccount: PendingLinks = pending.get(account.id) ?? { account, contacts: new Map() };
        pending.set(account.id, forAccount);
        const callers = forAccount.contacts.get(contactId) ?? [];
        callers.push((link, error) => (error === undefined ? resolve(link) : reject(error)));
        forAccount.contacts.set(contactId, callers);
      });
    },
  };
}
