// One connected LINE account linked to this contact: the LINE user, replies LINE did not take, and the chat.
import { Button, Flex, Text } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';
import { ChatPanel } from './ChatPanel.tsx';
import { LinkedUser } from './LinkedUser.tsx';
import { UndeliveredReplies } from './UndeliveredReplies.tsx';

interface Props {
  client: BackendClient;
  contactId: number;
  entry: AccountStatus;
  link: NonNullable<AccountStatus['link']>;
  i18n: Translator;
  showAccountName: boolean;
  /** The one chat of the card offered as its primary action. */
  primaryChat: boolean;
  /** Other accounts have a chat with this contact too: the button says which account it opens. */
  nameTheChat: boolean;
  onChatOpenChange(accountId: number, open: boolean): void;
  /** Something the card shows changed (a reply sent or retried): ask for the status again. */
  onChanged(): void;
}

export function AccountSection({ client, contactId, entry, link, i18n, showAccountName, primaryChat, nameTheChat, onChatOpenChange, onChanged }: Props) {
  const accountId = entry.account.id;
  // Nothing can be sent to a user who blocked the account: the chat is only its history, and there is nothing to retry.
  const blocked = link.followStatus === 'blocked';
  const { t } = i18n;
  const name = entry.account.name;
  const label = blocked ? (nameTheChat ? t.viewHistoryOn(name) : t.viewHistory) : nameTheChat ? t.openChatOn(name) : t.openChat;
  return (
    <Flex direction="column" gap="sm" testId={`line-account-${accountId}`}>
      {showAccountName ? <Text format={{ fontWeight: 'bold' }}>{entry.account.name}</Text> : null}
      <LinkedUser entry={entry} link={link} i18n={i18n} />
      {entry.undelivered && !blocked ? (
        <UndeliveredReplies client={client} contactId={contactId} accountId={accountId} undelivered={entry.undelivered} i18n={i18n} onRetried={onChanged} />
      ) : null}
      <Button
        variant={primaryChat ? 'primary' : 'secondary'}
        testId={`open-chat-${accountId}`}
        overlay={
          <ChatPanel
            id={`line-chat-${accountId}`}
            client={client}
            contactId={contactId}
            entry={entry}
            i18n={i18n}
            onOpenChange={(open) => onChatOpenChange(accountId, open)}
            onSent={onChanged}
          />
        }
      >
        {label}
      </Button>
    </Flex>
  );
}
