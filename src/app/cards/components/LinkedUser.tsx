// The linked LINE user at a glance: picture, name, friendship, and whether they wait for an answer. A user
// who blocked the account waits for nothing LINE can bring: one line saying so and how to reach them instead.
import { Flex, Image, StatusTag, Text } from '@hubspot/ui-extensions';
import type { AccountStatus } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';

type Link = NonNullable<AccountStatus['link']>;

const FOLLOW_VARIANT = { following: 'success', blocked: 'danger', unknown: 'default' } as const;
const FOLLOW_LABEL = { following: 'following', blocked: 'blocked', unknown: 'unknownFollow' } as const;

export function LinkedUser({ entry, link, i18n }: { entry: AccountStatus; link: Link; i18n: Translator }) {
  const { t } = i18n;
  const blocked = link.followStatus === 'blocked';
  // Test ids end with the account's id: a contact linked on several accounts shows one of these per account.
  const id = entry.account.id;
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center" wrap>
        {link.pictureUrl ? <Image src={link.pictureUrl} alt={link.displayName ?? ''} width={40} height={40} testId={`line-user-picture-${id}`} /> : null}
        <Flex direction="column" gap="flush">
          <Text format={{ fontWeight: 'demibold' }} truncate testId={`line-user-name-${id}`}>
            {link.displayName ?? t.unnamedUser}
          </Text>
          <StatusTag variant={FOLLOW_VARIANT[link.followStatus]} testId={`line-follow-status-${id}`}>
            {t[FOLLOW_LABEL[link.followStatus]]}
          </StatusTag>
        </Flex>
      </Flex>
      {blocked ? <Text testId={`line-blocked-notice-${id}`}>{t.blockedNotice}</Text> : null}
      {entry.unanswered && !blocked ? (
        <Flex direction="column" gap="flush" testId={`line-unanswered-${id}`}>
          <StatusTag variant="warning" testId={`line-unanswered-badge-${id}`}>
            {t.unanswered}
          </StatusTag>
          {entry.unanswered.text ? (
            <Text truncate={{ maxWidth: 260 }} testId={`line-unanswered-text-${id}`}>
              {entry.unanswered.text}
            </Text>
          ) : null}
          <Text variant="microcopy" testId={`line-unanswered-since-${id}`}>{t.waitingSince(i18n.ago(entry.unanswered.since), i18n.at(entry.unanswered.since))}</Text>
        </Flex>
      ) : null}
      <Text variant="microcopy" testId={`line-last-message-${id}`}>
        {entry.lastMessageAt ? t.lastMessage(i18n.ago(entry.lastMessageAt), i18n.at(entry.lastMessageAt)) : t.noMessagesYet}
      </Text>
    </Flex>
  );
}
