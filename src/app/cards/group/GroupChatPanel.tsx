// The company's LINE group chat in an overlay panel, built from the 1:1 panel's parts: the same history,
// live updates, composer (text, saved texts, stickers, files), delivery states and retries. Nothing loads until the panel is open. Once the
// account has left the group the panel shows the history only, also when a send is what found it out
// (LINE's leave event had not reached the backend): the card then learns it through `onLeft`.
import { useEffect, useState } from 'react';
import { Alert, Panel, PanelBody, PanelFooter, PanelSection } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import { Composer } from '../components/Composer.tsx';
import { ConversationMessages } from '../components/ConversationMessages.tsx';
import { useConversation } from '../hooks/useConversation.ts';
import { useSendMessage } from '../hooks/useSendMessage.ts';
import { useTemplates } from '../hooks/useTemplates.ts';
import type { Translator } from '../i18n/translator.ts';
import type { GroupMessages } from './messages.ts';
import type { GroupChatMessage, LinkedGroup } from './types.ts';

interface Props {
  id: string;
  client: BackendClient;
  companyId: number;
  accountId: number;
  group: LinkedGroup;
  i18n: Translator;
  g: GroupMessages;
  onLeft(): void;
}

export function GroupChatPanel({ id, client, companyId, accountId, group, i18n, g, onLeft }: Props) {
  const [open, setOpen] = useState(false);
  const base = `/api/companies/${companyId}/messages`;
  const conversation = useConversation<GroupChatMessage>(client, base, accountId, open);
  const sender = useSendMessage(client, base, accountId, conversation.applyMessage);
  const templates = useTemplates(client, open);
  const texts = { ...i18n, t: { ...i18n.t, errors: { ...i18n.t.errors, ...g.errors } } };
  const sendFoundLeft = (sender.error as { code?: string } | null)?.code === 'group_left';
  useEffect(() => {
    if (sendFoundLeft && !group.leftAt) onLeft();
  }, [sendFoundLeft, group.leftAt, onLeft]);
  const left = Boolean(group.leftAt) || sendFoundLeft;

  return (
    <Panel id={id} variant="modal" title={g.groupChatTitle(group.name ?? g.unnamedGroup)} width="md" onOpen={() => setOpen(true)} onClose={() => setOpen(false)} testId="chat-panel">
      <PanelBody>
        <PanelSection>
          {open ? (
            <ConversationMessages i18n={texts} conversation={conversation} sender={sender} authorOf={(m) => m.member} />
          ) : null}
        </PanelSection>
      </PanelBody>
      <PanelFooter>
        {left ? (
          <Alert title={g.left} variant="warning" testId="chat-group-left">
            {g.leftNotice}
          </Alert>
        ) : open ? (
          <Composer
            accountId={accountId}
            attachTo={{ objectTypeId: '0-2', objectId: companyId }}
            i18n={texts}
            templates={templates}
            sending={sender.sending}
            error={sender.error}
            onSend={sender.send}
            onSendSticker={sender.sendSticker}
            onSendFile={sender.sendFile}
            onTyping={sender.typing}
          />
        ) : null}
      </PanelFooter>
    </Panel>
  );
}
