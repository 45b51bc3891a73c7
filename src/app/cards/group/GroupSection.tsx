// One connected LINE account on the company card: the linked group with its chat and an unlink button, or
// the account's groups not linked yet, each with a button to link it to this company.
import { Alert, Button, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import { errorText } from '../api/loadable.ts';
import type { Translator } from '../i18n/translator.ts';
import { GroupChatPanel } from './GroupChatPanel.tsx';
import { GroupPicker } from './GroupPicker.tsx';
import { LinkedGroupView } from './LinkedGroupView.tsx';
import type { GroupMessages } from './messages.ts';
import type { GroupAccountStatus } from './types.ts';
import { useGroupLink } from './useGroupLink.ts';

interface Props {
  client: BackendClient;
  companyId: number;
  entry: GroupAccountStatus;
  i18n: Translator;
  g: GroupMessages;
  showAccountName: boolean;
  onChanged(entry: GroupAccountStatus): void;
}

export function GroupSection({ client, companyId, entry, i18n, g, showAccountName, onChanged }: Props) {
  const { link, unlink, busy, error } = useGroupLink(client, companyId, entry.account.id, onChanged);
  const group = entry.group;
  return (
    <Flex direction="column" gap="sm" testId={`line-account-${entry.account.id}`}>
      {showAccountName ? <Text format={{ fontWeight: 'bold' }}>{entry.account.name}</Text> : null}
      {group ? (
        <>
          <LinkedGroupView group={group} i18n={i18n} g={g} />
          <Flex direction="row" gap="sm" wrap>
            <Button
              variant={group.leftAt ? 'secondary' : 'primary'}
              size="sm"
              testId="open-chat"
              overlay={
                <GroupChatPanel
                  id={`line-group-chat-${entry.account.id}`}
                  client={client}
                  companyId={companyId}
                  accountId={entry.account.id}
                  group={group}
                  i18n={i18n}
                  g={g}
                  onLeft={() => onChanged({ ...entry, group: { ...group, leftAt: Date.now(), unanswered: null } })}
                />
              }
            >
              {group.leftAt ? i18n.t.viewHistory : i18n.t.openChat}
            </Button>
            <LoadingButton size="sm" variant="secondary" loading={busy === 'unlinking'} onClick={unlink} testId="unlink-group">
              {busy === 'unlinking' ? g.unlinking : g.unlink}
            </LoadingButton>
          </Flex>
        </>
      ) : (
        <GroupPicker groups={entry.unlinkedGroups} i18n={i18n} g={g} linking={busy === 'linking'} onLink={link} />
      )}
      {error ? (
        <Alert title={i18n.t.sendErrorTitle} variant="danger" testId="group-link-error">
          {errorText({ errors: { ...i18n.t.errors, ...g.errors } }, error)}
        </Alert>
      ) : null}
    </Flex>
  );
}
