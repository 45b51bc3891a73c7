// The LINE card on the contact record (crm.record.sidebar): per connected LINE account, the linked user's
// status and the 1:1 chat panel, or how to link the contact. Data comes from the backend via hubspot.fetch.
import { useCallback, useMemo } from 'react';
import { Button, Divider, EmptyState, ErrorState, Flex, LoadingSpinner, Text, hubspot } from '@hubspot/ui-extensions';
import { createBackendClient } from './api/backend-client.ts';
import { errorText } from './api/loadable.ts';
import type { AccountStatus } from './api/types.ts';
import { AccountSection } from './components/AccountSection.tsx';
import { LINK_POLL_MS, useLinkWatch } from './hooks/useLinkWatch.ts';
import { useLineStatus } from './hooks/useLineStatus.ts';
import { translator } from './i18n/translator.ts';

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => (
  <LineCard
    backendUrl={String(context.variables?.BACKEND_URL ?? '')}
    contactId={Number(context.crm.objectId)}
    locale={context.user.locale}
    refreshObjectProperties={actions.refreshObjectProperties}
  />
));

interface Props {
  backendUrl: string;
  contactId: number;
  locale: string | undefined;
  /** Re-reads the record's properties: a link writes the contact's LINE properties. */
  refreshObjectProperties(): void;
  /** How often an unlinked account is checked for a link made by LINE Login. */
  linkPollMs?: number;
}

export function LineCard({ backendUrl, contactId, locale, refreshObjectProperties, linkPollMs = LINK_POLL_MS }: Props) {
  const i18n = useMemo(() => translator(locale), [locale]);
  if (!backendUrl) {
    return (
      <ErrorState title={i18n.t.loadError} type="support" testId="line-card-not-configured">
        <Text>{i18n.t.notConfigured}</Text>
      </ErrorState>
    );
  }
  return <LineCardContent backendUrl={backendUrl} contactId={contactId} i18n={i18n} refreshObjectProperties={refreshObjectProperties} linkPollMs={linkPollMs} />;
}

interface ContentProps {
  backendUrl: string;
  contactId: number;
  i18n: ReturnType<typeof translator>;
  refreshObjectProperties(): void;
  linkPollMs: number;
}

function LineCardContent({ backendUrl, contactId, i18n, refreshObjectProperties, linkPollMs }: ContentProps) {
  const client = useMemo(() => createBackendClient(backendUrl), [backendUrl]);
  const { state, reload, replaceAccount } = useLineStatus(client, contactId);
  useLinkWatch({ client, contactId, state, pollMs: linkPollMs, replaceAccount, onNewLink: refreshObjectProperties });
  const linkedByHand = useCallback(
    (entry: AccountStatus) => {
      replaceAccount(entry);
      refreshObjectProperties();
    },
    [replaceAccount, refreshObjectProperties],
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
  return (
    <Flex direction="column" gap="md">
      {state.value.map((entry, index) => (
        <Flex direction="column" gap="md" key={entry.account.id}>
          {index > 0 ? <Divider /> : null}
          <AccountSection client={client} contactId={contactId} entry={entry} i18n={i18n} showAccountName={state.value.length > 1} onLinked={linkedByHand} />
        </Flex>
      ))}
    </Flex>
  );
}
