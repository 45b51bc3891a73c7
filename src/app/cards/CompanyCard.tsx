// The LINE card on the company record (crm.record.sidebar): per connected LINE account, the LINE group
// linked to the company with its chat panel, or the account's groups not linked yet to pick from.
import { useMemo } from 'react';
import { Button, Divider, EmptyState, ErrorState, Flex, LoadingSpinner, Text, hubspot } from '@hubspot/ui-extensions';
import { createBackendClient } from './api/backend-client.ts';
import { errorText } from './api/loadable.ts';
import { GroupSection } from './group/GroupSection.tsx';
import { groupMessagesFor, type GroupMessages } from './group/messages.ts';
import { useGroupStatus } from './group/useGroupStatus.ts';
import { translator, type Translator } from './i18n/translator.ts';

hubspot.extend<'crm.record.sidebar'>(({ context }) => (
  <CompanyCard backendUrl={String(context.variables?.BACKEND_URL ?? '')} companyId={Number(context.crm.objectId)} locale={context.user.locale} />
));

interface Props {
  backendUrl: string;
  companyId: number;
  locale: string | undefined;
}

export function CompanyCard({ backendUrl, companyId, locale }: Props) {
  const i18n = useMemo(() => translator(locale), [locale]);
  const g = useMemo(() => groupMessagesFor(locale), [locale]);
  if (!backendUrl) {
    return (
      <ErrorState title={i18n.t.loadError} type="support" testId="line-card-not-configured">
        <Text>{i18n.t.notConfigured}</Text>
      </ErrorState>
    );
  }
  return <CompanyCardContent backendUrl={backendUrl} companyId={companyId} i18n={i18n} g={g} />;
}

function CompanyCardContent({ backendUrl, companyId, i18n, g }: { backendUrl: string; companyId: number; i18n: Translator; g: GroupMessages }) {
  const client = useMemo(() => createBackendClient(backendUrl), [backendUrl]);
  const { state, reload, replaceAccount } = useGroupStatus(client, companyId);
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
          <GroupSection client={client} companyId={companyId} entry={entry} i18n={i18n} g={g} showAccountName={state.value.length > 1} onChanged={replaceAccount} />
        </Flex>
      ))}
    </Flex>
  );
}
