// One connected LINE account on the card: the linked user and the chat button, or how to link.
import { Button, Flex, Text } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';
import { ChatPanel } from './ChatPanel.tsx';
import { LinkedUser } from './LinkedUser.tsx';
import { LinkingHelp } from './LinkingHelp.tsx';

interface Props {
  client: BackendClient;
  contactId: number;
  entry: AccountStatus;
  i18n: Translator;
  showAccountName: boolean;
  onLinked(entry: AccountStatus): void;
}

export function AccountSection({ client, contactId, entry, i18n, showAccountName, onLinked }: Props) {
  const panelId = `line-chat-${entry.account.id}`;
  // Nothing can be sent to a user who blocked the account: the chat is only its history.
  const blocked = entry.link?.followStatus === 'blocked';
  return (
    <Flex direction="column" gap="sm" testId={`line-account-${entry.account.id}`}>
      {showAccountName ? <Text format={{ fontWeight: 'bold' }}>{entry.account.name}</Text> : null}
      {entry.link ? (
        <>
          <LinkedUser entry={entry} link={entry.link} i18n={i18n} />
          <Button
            variant={blocked ? 'secondary' : 'primary'}
            size="sm"
            testId="open-chat"
            overlay={<ChatPanel id={panelId} client={client} contactId={contactId} entry={entry} i18n={i18n} />}
          >
            {blocked ? i18n.t.viewHistory : i18n.t.openChat}
          </Button>
        </>
      ) : (
        <LinkingHelp client={client} contactId={contactId} entry={entry} i18n={i18n} onLinked={onLinked} />
      )}
    </Flex>
  );
}
