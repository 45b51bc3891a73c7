// While an account is not linked to this contact, a customer may link it any moment by LINE Login from
// the shared URL or QR code; nothing tells the card, so it asks again every `pollMs`. A link that
// appears replaces its entry and refreshes the record's properties (LINE Login wrote them).
import { useEffect, useRef, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { Loadable } from '../api/loadable.ts';
import type { AccountStatus, ContactLineStatus } from '../api/types.ts';

export const LINK_POLL_MS = 5_000;

interface Watch {
  client: BackendClient;
  contactId: number;
  state: Loadable<AccountStatus[]>;
  pollMs: number;
  replaceAccount(entry: AccountStatus): void;
  onNewLink(): void;
}

export function useLinkWatch({ client, contactId, state, pollMs, replaceAccount, onNewLink }: Watch): void {
  const latest = useRef({ replaceAccount, onNewLink });
  latest.current = { replaceAccount, onNewLink };
  const unlinked = state.status === 'ready' ? state.value.filter((a) => a.link === null).map((a) => a.account.id) : [];
  const watching = unlinked.join(',');
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!watching) return undefined;
    const ids = new Set(watching.split(',').map(Number));
    let current = true;
    const timer = setTimeout(() => {
      client
        .get<ContactLineStatus>(`/api/contacts/${contactId}/line`)
        .then((body) => {
          if (!current) return;
          const linked = body.accounts.filter((a) => ids.has(a.account.id) && a.link !== null);
          for (const entry of linked) latest.current.replaceAccount(entry);
          if (linked.length > 0) latest.current.onNewLink();
          // Accounts still unlinked are asked about again after another pause.
          if (linked.length < ids.size) setRound((r) => r + 1);
        })
        // A failed look is not shown: the card already shows how to link, and the next round asks again.
        .catch(() => current && setRound((r) => r + 1));
    }, pollMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, contactId, watching, pollMs, round]);
}
