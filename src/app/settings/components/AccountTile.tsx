// One connected account: who it is and its health in one line; a broken token leads with one alert; the rest
// is folded into sections, with the one that needs attention open.
import { useState, type ReactNode } from 'react';
import { Accordion, Flex, Heading, Image, Text, Tile } from '@hubspot/ui-extensions';
import { sectionNeedingAttention, type Section } from '../account-attention.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { AccountWithHealth } from '../types.ts';
import { CredentialsForm } from './CredentialsForm.tsx';
import { HealthDetails } from './HealthDetails.tsx';
import { HealthLine } from './HealthLine.tsx';
import { LoginSettings } from './LoginSettings.tsx';
import { OptionsForm } from './OptionsForm.tsx';
import { RemoveAccount } from './RemoveAccount.tsx';
import { TokenAlert } from './TokenAlert.tsx';
import { WebhookSection } from './WebhookSection.tsx';

/** `onCredentialsChanged`: a new token or secret makes the last health check out of date. */
export function AccountTile({ account, onChanged, onCredentialsChanged }: { account: AccountWithHealth; onChanged(): Promise<void>; onCredentialsChanged(): Promise<void> }) {
  const { t } = useSettings();
  // What the admin opened or folded wins; until then the section that needs attention is open, also when
  // a health check finds the problem after the page opened.
  const [chosen, setChosen] = useState<Partial<Record<Section, boolean>>>({});
  const attention = sectionNeedingAttention(account);
  const isOpen = (section: Section) => chosen[section] ?? section === attention;
  const setOpen = (section: Section, open: boolean) => setChosen((before) => ({ ...before, [section]: open }));
  const section = (id: Section, title: string, body: ReactNode) => (
    <Accordion title={title} open={isOpen(id)} onClick={() => setOpen(id, !isOpen(id))} testId={`section-${id}-${account.id}`}>
      {body}
    </Accordion>
  );
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
        <HealthLine account={account} />
        {account.health.tokenValid === false ? (
          <TokenAlert accountId={account.id} onReplace={() => setOpen('credentials', true)} />
        ) : null}
        {section('health', t.sectionHealth, <HealthDetails account={account} onChanged={onChanged} />)}
        {section('webhook', t.sectionWebhook, <WebhookSection account={account} onChanged={onChanged} />)}
        {section('options', t.optionsTitle, <OptionsForm account={account} onChanged={onChanged} />)}
        {section('login', t.loginTitle, <LoginSettings account={account} onChanged={onChanged} />)}
        {section('credentials', t.credentialsTitle, <CredentialsForm account={account} onChanged={onCredentialsChanged} />)}
        {section('remove', t.sectionRemove, <RemoveAccount account={account} onChanged={onChanged} />)}
      </Flex>
    </Tile>
  );
}
