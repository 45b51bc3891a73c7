// The 1:1 chat in an overlay panel. Nothing loads until the panel is open; closing it stops the long-poll.
// A user who blocks the account while it is open loses the composer at the next update, which the block wakes.
import { useCallback, useState } from 'react';
import { Alert, Panel, PanelBody, PanelFooter, PanelSection } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus, ChatMessage } from '../api/types.ts';
import { useConversation } from '../hooks/useConversation.ts';
import { useSendMessage } from '../hooks/useSendMessage.ts';
import { useTemplates } from '../hooks/useTemplates.ts';
import { unansweredMessages } from '../hooks/unanswered.ts';
import type { Translator } from '../i18n/translator.ts';
import { Composer } from './Composer.tsx';
import { ConversationMessages } from './ConversationMessages.tsx';
import { WaitingQuestion } from './WaitingQuestion.tsx';

interface Props {
  id: string;
  client: BackendClient;
  contactId: number;
  entry: AccountStatus;
  i18n: Translator;
  /** The card pauses its own updates while the panel is open and catches up when it closes. */
  onOpenChange?(open: boolean): void;
  /** The agent sent (or retried) a message: the card's summary behind the panel is out of date. */
  onSent?(): void;
}

export function ChatPanel({ id, client, contactId, entry, i18n, onOpenChange, onSent }: Props) {
  const [open, setOpen] = useState(false);
  const accountId = entry.account.id;
  const conversation = useConversation(client, `/api/contacts/${contactId}/messages`, accountId, open, entry.link?.followStatus ?? 'unknown');
  const { applyMessage } = conversation;
  const applySent = useCallback(
    (message: ChatMessage) => {
      applyMessage(message);
      onSent?.();
    },
    [applyMessage, onSent],
  );
  const sender = useSendMessage(client, `/api/contacts/${contactId}/messages`, accountId, applySent, `/api/contacts/${contactId}/typing`);
  const toggle = (next: boolean) => {
    setOpen(next);
    onOpenChange?.(next);
  };
  const templates = useTemplates(client, open);
  const blocked = conversation.followStatus === 'blocked';
  const name = entry.link?.displayName ?? i18n.t.unnamedUser;
  // A blocked user waits for nothing: the panel is their history only.
  const waiting = blocked ? [] : unansweredMessages(conversation.messages);

  return (
    <Panel id={id} variant="modal" title={i18n.t.chatTitle(name)} width="md" onOpen={() => toggle(true)} onClose={() => toggle(false)} testId={`chat-panel-${accountId}`}>
      <PanelBody>
        {open ? <WaitingQuestion waiting={waiting} i18n={i18n} /> : null}
        <PanelSection>
          {open ? (
            <ConversationMessages i18n={i18n} conversation={conversation} sender={sender} unanswered={new Set(waiting.map((m) => m.id))} />
          ) : null}
        </PanelSection>
      </PanelBody>
      <PanelFooter>
        {blocked ? (
          <Alert title={i18n.t.chatBlockedTitle} variant="warning" testId={`chat-blocked-${accountId}`}>
            {i18n.t.blockedChat}
          </Alert>
        ) : open ? (
          <Composer
            accountId={accountId}
            attachTo={{ objectTypeId: '0-1', objectId: contactId }}
            i18n={i18n}
            templates={templates}
            sending={sender.sending}
            error={sender.error}
            onSend={(text) => {
              conversation.markRead();
              return sender.send(text);
            }}
            onSendSticker={(packageId, stickerId) => {
              conversation.markRead();
              return sender.sendSticker(packageId, stickerId);
            }}
            onSendFile={(fileId) => {
              conversation.markRead();
              return sender.sendFile(fileId);
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
