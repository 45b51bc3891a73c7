// The connected accounts, or what to show while they load, when loading failed, and when there are none.
import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { errorText, type Loadable } from '../api/loadable.ts';
import type { AccountWithHealth } from '../types.ts';
import { useSettings } from '../hooks/settings-context.ts';
import { AccountTile } from './AccountTile.tsx';
import { HealthCheck } from './HealthCheck.tsx';
import { useHealthCheck } from '../hooks/useHealthCheck.ts';

export function AccountList({ state, reload }: { state: Loadable<AccountWithHealth[]>; reload(): Promise<void> }) {
  const { t } = useSettings();
  const health = useHealthCheck(reload);
  if (state.status === 'loading') return <LoadingSpinner label={t.loading} showLabel layout="centered" testId="accounts-loading" />;
  if (state.status === 'error') {
    return (
      <ErrorState title={t.loadFailed} testId="accounts-error">
        <Text>{errorText(t, state.error)}</Text>
        <Button onClick={() => void reload()} testId="accounts-reload">
          {t.tryAgain}
        </Button>
      </ErrorState>
    );
  }
  if (state.value.length === 0) {
    return (
      <EmptyState title={t.emptyTitle} imageName="integrations" layout="horizontal" testId="accounts-empty">
        <Text>{t.emptyBody}</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="md">
      <HealthCheck runner={health} />
      {state.value.map((account) => (
        <AccountTile key={account.id} account={account} onChanged={reload} onCredentialsChanged={async () => void (await health.start())} />
      ))}
    </Flex>
  );
}
