// The page: what it is for, the connected accounts (loading, failed, empty or listed), adding one, the
// message templates, and who may change all this.
import { useMemo } from 'react';
import { ErrorState, Flex, Heading, Text } from '@hubspot/ui-extensions';
import type { AddAlertAction, SettingsContext } from '@hubspot/ui-extensions';
import { createBackendClient } from '../api/backend-client.ts';
import { messagesFor } from '../i18n.ts';
import { SettingsServicesContext, type SettingsServices } from '../hooks/settings-context.ts';
import { useAccounts } from '../hooks/useAccounts.ts';
import { AccountList } from './AccountList.tsx';
import { AddAccountForm } from './AddAccountForm.tsx';
import { AdminRoles } from './AdminRoles.tsx';
import { TemplatesSection } from './TemplatesSection.tsx';

/** A running operation (credential check, webhook test, health check) is asked about this often. */
const POLL_INTERVAL_MS = 1_000;

export interface SettingsPageProps {
  context: Pick<SettingsContext, 'user' | 'variables'>;
  addAlert: AddAlertAction;
  pollIntervalMs?: number;
  copyTextToClipboard(text: string): Promise<void>;
  closeOverlay(id: string): void;
}

export function SettingsPage({ context, addAlert, copyTextToClipboard, closeOverlay, pollIntervalMs = POLL_INTERVAL_MS }: SettingsPageProps) {
  const locale = context.user.locale ?? 'en';
  const t = messagesFor(locale);
  const backendUrl = context.variables?.BACKEND_URL;
  // The client's default timeout stays inside hubspot.fetch's 15 s: what takes longer runs as an operation.
  const client = useMemo(() => (backendUrl ? createBackendClient(String(backendUrl)) : null), [backendUrl]);
  const { state, reload } = useAccounts(client);
  const services = useMemo<SettingsServices | null>(
    () => {
      if (!client) return null;
      const notify: SettingsServices['notify'] = (message, type = 'success') => addAlert({ message, type });
      const copy = (text: string) => {
        copyTextToClipboard(text).then(
          () => notify(t.copied),
          () => notify(text, 'danger'),
        );
      };
      return { t, locale, client, pollIntervalMs, notify, copy, closeOverlay };
    },
    [client, t, locale, pollIntervalMs, addAlert, copyTextToClipboard, closeOverlay],
  );

  if (!services) {
    return (
      <ErrorState title={t.loadFailed} testId="settings-not-configured">
        <Text>{t.notConfigured}</Text>
      </ErrorState>
    );
  }
  const hasAccounts = state.status === 'ready' && state.value.length > 0;
  return (
    <SettingsServicesContext.Provider value={services}>
      <Flex direction="column" gap="md">
        <Heading>{t.title}</Heading>
        <Text>{t.intro}</Text>
        <AccountList state={state} reload={reload} />
        {state.status === 'ready' ? <AddAccountForm startOpen={!hasAccounts} onAdded={reload} /> : null}
        {/* One spinner at a time: the sections below load once the accounts have. */}
        {state.status === 'loading' ? null : (
          <>
            <TemplatesSection />
            <AdminRoles />
          </>
        )}
      </Flex>
    </SettingsServicesContext.Provider>
  );
}
