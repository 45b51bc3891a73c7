// One URL an admin registers somewhere else (the LINE console) or hands out: shown whole, with a copy button.
import { Button, DescriptionListItem, Flex, Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';

export function CopyableUrl({ label, url, testId }: { label: string; url: string; testId: string }) {
  const { t, copy } = useSettings();
  return (
    <DescriptionListItem label={label}>
      <Flex direction="row" gap="xs" align="center" wrap="wrap">
        <Text testId={testId}>{url}</Text>
        <Button variant="secondary" onClick={() => copy(url)} testId={`${testId}-copy`}>
          {t.copy}
        </Button>
      </Flex>
    </DescriptionListItem>
  );
}
