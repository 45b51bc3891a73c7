// The LINE card on the contact record (crm.record.sidebar): per connected LINE account, the linked user's
// status and the 1:1 chat panel; for accounts not linked to the contact, one line each and one invitation
// to link. Data comes from the backend via hubspot.fetch and stays current while the record is open.
import { useCallback, useMemo, useState } from 'react';
import { Button, Divider, EmptyState, ErrorState, Flex, LoadingSpinner, Text, hubspot } from '@hubspot/ui-extensions';
import { createBackendClient } from './api/backend-client.ts';
import { errorText } from './api/loadable.ts';
import type { AccountStatus } from './api/types.ts';
import { AccountSection } from './components/AccountSection.tsx';
import { INVITE_PANEL_ID, InviteToLink } from './components/InviteToLink.tsx';
import { primaryChatAccountId } from './hooks/primary-chat.ts';
import { useLineStatus } from './hooks/useLineStatus.ts';
import { translator, type Translator } from './i18n/translator.ts';

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => (
  <LineCard
    backendUrl={String(context.variables?.BACKEND_URL ?? '')}
    contactId={Number(context.crm.objectId)}
    locale={context.user.locale}
    refreshObjectProperties={actions.refreshObjectProperties}
    copyText={actions.copyTextToClipboard}
    closeOverlay={actions.closeOverlay}
  />
));

interface Actions {
  /** Re-reads the record's properties: a link writes the contact's LINE properties. */
  refreshObjectProperties(): void;
  copyText(text: string): Promise<void>;
  closeOverlay(id: string): void;
}

interface Props extends Actions {
  backendUrl: string;
  contactId: number;
  locale: string | undefined;
}

export function LineCard({ backendUrl, locale, ...rest }: Props) {
  const i18n = useMemo(() => translator(locale), [locale]);
  if (!backendUrl) {
    return (
      <ErrorState title={i18n.t.loadError} type="support" testId="line-card-not-configured">
        <Text>{i18n.t.notConfigured}</Text>
      </ErrorState>
    );
  }
  return <LineCardContent backendUrl={backendUrl} i18n={i18n} {...rest} />;
}

interface ContentProps extends Actions {
  backendUrl: string;
  contactId: number;
  i18n: Translator;
}

function LineCardContent({ backendUrl, contactId, i18n, refreshObjectProperties, copyText, closeOverlay }: ContentProps) {
  const client = useMemo(() => createBackendClient(backendUrl), [backendUrl]);
  const [openChats, setOpenChats] = useState<ReadonlySet<number>>(new Set());
  const { state, reload, refresh, showLinked } = useLineStatus(client, contactId, { paused: openChats.size > 0, onNewLink: refreshObjectProperties });
  const chatOpenChange = useCallback(
    (accountId: number, open: boolean) => {
      setOpenChats((ids) => {
        const next = new Set(ids);
        if (open) next.add(accountId);
        else next.delete(accountId);
        return next;
      });
      // The panel had the news while it was open; the card catches up as it closes.
      if (!open) refresh();
    },
    [refresh],
  );
  const linkedByHand = useCallback(
    (entry: AccountStatus) => {
      showLinked(entry);
      closeOverlay(INVITE_PANEL_ID);
    },
    [showLinked, closeOverlay],
  );
  const { t } = i18n;

  if (state.status === 'loading') return <LoadingSpinner label={t.loading} showLabel testId="line-card-loading" />;
  if (state.status === 'error') {
    return (
      <ErrorState title={t.loadError} testId="line-card-error">
        <Text>{errorText(t, state.error)}</Text>
        <Button onClick={reload}>{t.retry}</Button>
      </ErrorState>
    );
  }
  if (state.value.length === 0) {
    return (
      <EmptyState title={t.noAccountsTitle} layout="vertical" imageWidth={80} testId="line-card-no-accounts">
        <Text>{t.noAccounts}</Text>
      </EmptyState>
    );
  }
  const several = state.value.length > 1;
  const unlinked = state.value.filter((entry) => entry.link === null);
  const severalChats = state.value.length - unlinked.length > 1;
  const primaryChat = primaryChatAccountId(state.value);
  return (
    <Flex direction="column" gap="md">
      {state.value.map((entry, index) => (
        <Flex direction="column" gap="md" key={entry.account.id}>
          {index > 0 ? <Divider /> : null}
          {entry.link ? (
            <AccountSection
              client={client}
              contactId={contactId}
              entry={entry}
              link={entry.link}
              i18n={i18n}
              showAccountName={several}
              primaryChat={primaryChat === entry.account.id}
              nameTheChat={severalChats}
              onChatOpenChange={chatOpenChange}
              onChanged={refresh}
            />
          ) : (
            <Text testId={`line-not-linked-${entry.account.id}`}>{several ? t.notLinkedOn(entry.account.name) : t.notLinked}</Text>
          )}
        </Flex>
      ))}
      {unlinked.length > 0 ? <InviteToLink client={client} contactId={contactId} unlinked={unlinked} i18n={i18n} copyText={copyText} onLinked={linkedByHand} /> : null}
    </Flex>
  );
}
