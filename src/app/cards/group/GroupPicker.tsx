// The account's LINE groups that no company has yet, newest conversation first as the backend orders them:
// picture, name and last message, and a button to link the group to this company.
import { Flex, Image, LoadingButton, Text, Tile } from '@hubspot/ui-extensions';
import type { Translator } from '../i18n/translator.ts';
import { LastMessage } from './LinkedGroupView.tsx';
import type { GroupMessages } from './messages.ts';
import type { GroupSummary } from './types.ts';

interface Props {
  groups: GroupSummary[];
  i18n: Translator;
  g: GroupMessages;
  linking: boolean;
  onLink(groupId: string): void;
}

export function GroupPicker({ groups, i18n, g, linking, onLink }: Props) {
  return (
    <Flex direction="column" gap="sm" testId="group-picker">
      <Text testId="group-not-linked">{g.notLinked}</Text>
      {groups.length === 0 ? (
        <Text variant="microcopy" testId="no-unlinked-groups">{g.noUnlinkedGroups}</Text>
      ) : (
        <>
          <Text variant="microcopy">{g.pickGroup}</Text>
          {groups.map((group) => {
            const name = group.name ?? g.unnamedGroup;
            return (
              <Tile compact key={group.groupId} testId={`unlinked-group-${group.groupId}`}>
                <Flex direction="row" gap="sm" align="center" justify="between">
                  <Flex direction="row" gap="sm" align="center">
                    {group.pictureUrl ? <Image src={group.pictureUrl} alt={name} width={32} height={32} /> : null}
                    <Flex direction="column" gap="flush">
                      <Text format={{ fontWeight: 'demibold' }} truncate>
                        {name}
                      </Text>
                      <LastMessage group={group} i18n={i18n} g={g} />
                    </Flex>
                  </Flex>
                  <LoadingButton size="xs" loading={linking} disabled={linking} onClick={() => onLink(group.groupId)} testId={`link-group-${group.groupId}`}>
                    {linking ? g.linking : g.link}
                  </LoadingButton>
                </Flex>
              </Tile>
            );
          })}
        </>
      )}
    </Flex>
  );
}
