// The card's data: one entry per connected LINE account (linked user, follow status, unanswered state,
// undelivered replies), kept true while the record is open. Nothing tells the card when a customer writes,
// links by LINE Login or blocks the account, so it asks again after the wait the backend answers
// (nextPollMs: sooner while an account is unlinked, later when many cards of the portal are open).
// An open chat panel already receives every change, so the card does not ask meanwhile; `refresh`
// asks at once (the panel closed, the agent sent or linked). A link that appears refreshes the record's
// properties (LINE Login wrote them).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { Loadable } from '../api/loadable.ts';
import type { AccountStatus, ContactLineStatus } from '../api/types.ts';

interface Options {
  /** True while a chat panel is open. */
  paused: boolean;
  onNewLink(): void;
}

function newlyLinked(before: AccountStatus[], after: AccountStatus[]): boolean {
  const known = new Map(before.map((a) => [a.account.id, a.link?.lineUserId ?? null]));
  return after.some((a) => a.link !== null && known.has(a.account.id) && known.get(a.account.id) !== a.link.lineUserId);
}

export function useLineStatus(client: BackendClient, contactId: number, { paused, onNewLink }: Options) {
  const [state, setState] = useState<Loadable<AccountStatus[]>>({ status: 'loading' });
  /** Each bump asks the backend once; the answer (or failure) bumps `answered`, which schedules the next. */
  const [asked, setAsked] = useState(0);
  const [answered, setAnswered] = useState<{ nextPollMs: number } | null>(null);
  const latest = useRef({ state, onNewLink });
  latest.current = { state, onNewLink };

  useEffect(() => {
    let current = true;
    client
      .get<ContactLineStatus>(`/api/contacts/${contactId}/line`)
      .then((body) => {
        if (!current) return;
        const shown = latest.current.state;
        if (shown.status === 'ready' && newlyLinked(shown.value, body.accounts)) latest.current.onNewLink();
        setState({ status: 'ready', value: body.accounts });
        setAnswered({ nextPollMs: body.nextPollMs });
      })
      .catch((error: unknown) => {
        if (!current) return;
        // A failed refresh keeps what the card shows and asks again later; only a first load shows the error.
        setState((s) => (s.status === 'ready' ? s : { status: 'error', error }));
        setAnswered((a) => (a ? { ...a } : null));
      });
    return () => {
      current = false;
    };
  }, [client, contactId, asked]);

  useEffect(() => {
    if (paused || !answered) return undefined;
    const timer = setTimeout(() => setAsked((n) => n + 1), answered.nextPollMs);
    return () => clearTimeout(timer);
  }, [paused, answered]);

  const refresh = useCallback(() => setAsked((n) => n + 1), []);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAsked((n) => n + 1);
  }, []);

  /**
   * Shows a link made from the card (by hand) without asking for the other accounts. The poll may have
   * shown it already (the link exists before its answer arrives): the record's properties are refreshed once.
   */
  const showLinked = useCallback((entry: AccountStatus) => {
    const shown = latest.current.state;
    if (shown.status !== 'ready') return;
    if (newlyLinked(shown.value, [entry])) latest.current.onNewLink();
    setState((s) => (s.status === 'ready' ? { status: 'ready', value: s.value.map((a) => (a.account.id === entry.account.id ? entry : a)) } : s));
  }, []);

  return { state, reload, refresh, showLinked };
}
