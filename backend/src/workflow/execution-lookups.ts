// What deciding an execution reads (the portal's install, its LINE accounts, the step's message template,
// the contact's link or the company's group), read once per batch of executions: each portal's rows and
// templates once, and the links of every record of the batch on an account in one query, gathered while
// the batch's executions are being planned side by side.
import type { AppContext } from '../context.ts';
import { listAccounts, type LineAccount } from '../accounts/repository.ts';
import { findLinksOfContacts, type LinkRecord } from '../contacts/links.ts';
import { findPortalRow, type PortalRow } from '../hubspot/portals.ts';
import { findGroupOfCompany, type GroupRecord } from '../groups/groups.ts';
import { findTemplate } from '../templates/repository.ts';
import type { TemplateFinder } from './step-messages.ts';

export interface ExecutionLookups {
  portal(portalId: number): Promise<PortalRow | undefined>;
  accounts(portalId: number): Promise<LineAccount[]>;
  template: TemplateFinder;
  linkOfContact(account: LineAccount, contactId: number): Promise<LinkRecord | undefined>;
  groupOfCompany(account: LineAccount, companyId: number): Promise<GroupRecord | undefined>;
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

type Answer<V> = (value: V | undefined, error?: unknown) => void;

interface PendingIds<V> {
  account: LineAccount;
  ids: Map<number, Array<Answer<V>>>;
}

/**
 * One record of an account by id, asked for by many executions of a batch and loaded with one query per
 * account: planning awaits in step (everyone awaits the same accounts), so the next turn finds them all asking.
 */
function batchedByAccount<V>(load: (account: LineAccount, ids: number[]) => Promise<Map<number, V>>): (account: LineAccount, id: number) => Promise<V | undefined> {
  let pending = new Map<number, PendingIds<V>>();

  async function loadPending(): Promise<void> {
    const batch = pending;
    pending = new Map();
    for (const { account, ids } of batch.values()) {
      try {
        const found = await load(account, [...ids.keys()]);
        for (const [id, callers] of ids) for (const answer of callers) answer(found.get(id));
      } catch (error) {
        for (const callers of ids.values()) for (const answer of callers) answer(undefined, error);
      }
    }
  }

  return (account, id) =>
    new Promise((resolve, reject) => {
      if (pending.size === 0) setImmediate(() => void loadPending());
      const forAccount: PendingIds<V> = pending.get(account.id) ?? { account, ids: new Map() };
      pending.set(account.id, forAccount);
      const callers = forAccount.ids.get(id) ?? [];
      callers.push((value, error) => (error === undefined ? resolve(value) : reject(error)));
      forAccount.ids.set(id, callers);
    });
}

export function batchLookups(ctx: AppContext): ExecutionLookups {
  return {
    portal: memo((portalId) => findPortalRow(ctx.db, portalId)),
    accounts: memo((portalId) => listAccounts(ctx, portalId)),
    template: memo((portalId: number, id: number) => findTemplate(ctx, portalId, id), (portalId, id) => `${portalId}:${id}`),
    linkOfContact: batchedByAccount((account, contactIds) => findLinksOfContacts(ctx, account.portalId, account.id, contactIds)),
    groupOfCompany: memo((account: LineAccount, companyId: number) => findGroupOfCompany(ctx, account.portalId, account.id, companyId), (account, companyId) => `${account.id}:${companyId}`),
  };
}
