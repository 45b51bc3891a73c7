// The linked LINE group at a glance: picture, name, member count, whether the account left it, whether
// someone waits for an answer, and the last message.
import { Flex, Image, StatusTag, Text } from '@hubspot/ui-extensions';
import type { Translator } from '../i18n/translator.ts';
import type { GroupMessages } from './messages.ts';
import type { LinkedGroup } from './types.ts';

export function LinkedGroupView({ group, i18n, g }: { group: LinkedGroup; i18n: Translator; g: GroupMessages }) {
  const name = group.name ?? g.unnamedGroup;
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center" wrap>
        {group.pictureUrl ? <Image src={group.pictureUrl} alt={name} width={40} height={40} testId="line-group-picture" /> : null}
        <Flex direction="column" gap="flush">
          <Text format={{ fontWeight: 'demibold' }} truncate testId="line-group-name">
            {name}
          </Text>
          {group.memberCount !== null ? <Text variant="microcopy" testId="line-group-members">{g.members(group.memberCount)}</Text> : null}
          {group.leftAt ? <StatusTag variant="danger" testId="line-group-left">{g.left}</StatusTag> : null}
        </Flex>
      </Flex>
      {group.leftAt ? <Text testId="line-group-left-notice">{g.leftNotice}</Text> : null}
      {group.unanswered && !group.leftAt ? (
        <Flex direction="column" gap="flush" testId="line-unanswered">
          <StatusTag variant="warning" testId="line-unanswered-badge">
            {i18n.t.unanswered}
          </StatusTag>
          {group.unanswered.text ? (
            <Text truncate={{ maxWidth: 260 }} testId="line-unanswered-text">
              {group.unanswered.text}
            </Text>
          ) : null}
          <Text variant="microcopy" testId="line-unanswered-since">{i18n.t.waitingSince(i18n.ago(group.unanswered.since), i18n.at(group.unanswered.since))}</Text>
        </Flex>
      ) : null}
      <LastMessage group={group} i18n={i18n} g={g} />
    </Flex>
  );
}

export function LastMessage({ group, i18n, g }: { group: Pick<LinkedGroup, 'groupId' | 'lastMessage'>; i18n: Translator; g: GroupMessages }) {
  const last = group.lastMessage;
  if (!last) return <Text variant="microcopy" testId={`line-group-last-${group.groupId}`}>{i18n.t.noMessagesYet}</Text>;
  return (
    <Flex direction="column" gap="flush" testId={`line-group-last-${group.groupId}`}>
      {last.text ? <Text truncate={{ maxWidth: 260 }}>{g.lastMessageText(last.text)}</Text> : null}
      <Text variant="microcopy">{i18n.t.lastMessage(i18n.ago(last.at), i18n.at(last.at))}</Text>
    </Flex>
  );
}
