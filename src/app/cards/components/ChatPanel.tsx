// The 1:1 chat in an overlay panel. Nothing loads until the panel is open; closing it stops the long-poll.
// A user who blocks the account while it is open loses the composer at the next update, which the block wakes.
import { useState } from 'react';
import { Alert, Panel, PanelBody, PanelFooter, PanelSection } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus } from '../api/types.ts';
import { useConversation } from '../hooks/useConversation.ts';
import { useSendMessage } from '../hooks/useSendMessage.ts';
import { useTemplates } from '../hooks/useTemplates.ts';
import type { Translator } from '../i18n/translator.ts';
import { Composer } from './Composer.tsx';
import { ConversationMessages } from './ConversationMessages.tsx';

interface Props {
  id: string;
  client: BackendClient;
  contactId: number;
  entry: AccountStatus;
  i18n: Translator;
}

export function ChatPanel({ id, client, contactId, entry, i18n }: Props) {
  const [open, setOpen] = useState(false);
  const accountId = entry.account.id;
  const conversation = useConversation(client, `/api/contacts/${contactId}/messages`, accountId, open, entry.link?.followStatus ?? 'unknown');
  const sender = useSendMessage(client, `/api/contacts/${contactId}/messages`, accountId, conversation.applyMessage, `/api/contacts/${contactId}/typing`);
  const templates = useTemplates(client, open);
  const blocked = conversation.followStatus === 'blocked';
  const name = entry.link?.displayName ?? i18n.t.unnamedUser;

  return (
    <Panel id={id} title={i18n.t.chatTitle(name)} width="md" onOpen={() => setOpen(true)} onClose={() => setOpen(false)} testId="chat-panel">
      <PanelBody>
        <PanelSection>
          {open ? (
            <ConversationMessages i18n={i18n} conversation={conversation} sender={sender} />
          ) : null}
        </PanelSection>
      </PanelBody>
      <PanelFooter>
        {blocked ? (
          <Alert title={i18n.t.blocked} variant="warning" testId="chat-blocked">
            {i18n.t.blockedChat}
          </Alert>
        ) : open ? (
          <Composer
            accountId={accountId}
            i18n={i18n}
            templates={templates}
            sending={sender.sending}
            error={sender.error}
            onSend={(text) => {
              conversation.markRead();
              return sender.send(text);
            }}
            onTyping={() => {
              conversation.markRead();
              sender.typing();
            }}
          />
        ) : null}
      </PanelFooter>
    </Panel>
  );
}
