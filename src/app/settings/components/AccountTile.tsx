// One connected account: who it is, its health, and the sections to manage it.
import { Divider, Flex, Heading, Image, Text, Tile } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { AccountWithHealth } from '../types.ts';
import { CredentialsForm } from './CredentialsForm.tsx';
import { HealthSummary } from './HealthSummary.tsx';
import { LoginSettings } from './LoginSettings.tsx';
import { OptionsForm } from './OptionsForm.tsx';
import { RemoveAccount } from './RemoveAccount.tsx';
import { WebhookSection } from './WebhookSection.tsx';

export function AccountTile({ account, onChanged }: { account: AccountWithHealth; onChanged(): Promise<void> }) {
  const { t } = useSettings();
  return (
    <Tile testId={`account-${account.id}`}>
      <Flex direction="column" gap="sm">
        <Flex direction="row" gap="sm" align="center">
          {account.pictureUrl ? <Image src={account.pictureUrl} alt="" width={40} height={40} /> : null}
          <Heading>{account.displayName}</Heading>
          <Text variant="microcopy">
            {[account.basicId, `Channel ID ${account.channelId}`].filter(Boolean).join(' · ')}
          </Text>
        </Flex>
        <Text variant="microcopy">{t.propertiesNote(account.userIdProperty)}</Text>
        <HealthSummary account={account} onChanged={onChanged} />
        <Divider />
        <WebhookSection account={account} onChanged={onChanged} />
        <Divider />
        <OptionsForm account={account} onChanged={onChanged} />
        <Divider />
        <LoginSettings account={account} onChanged={onChanged} />
        <Divider />
        <CredentialsForm account={account} onChanged={onChanged} />
        <Divider />
        <RemoveAccount account={account} onChanged={onChanged} />
      </Flex>
    </Tile>
  );
}
