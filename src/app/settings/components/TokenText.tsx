// Text as the customer will read it, with contact tokens ({{contact.firstname}} …) shown as written and
// highlighted, since each is replaced per contact when a workflow sends.
import { Flex, Tag, Text } from '@hubspot/ui-extensions';

const TOKEN = /(\{\{[^{}]*\}\})/;

export function TokenText({ text, testId }: { text: string; testId?: string }) {
  const parts = text.split(TOKEN).filter((part) => part !== '');
  return (
    <Flex direction="row" wrap gap="flush" align="baseline" testId={testId}>
      {parts.map((part, i) =>
        TOKEN.test(part) ? (
          <Tag key={i} inline variant="info" testId={testId ? `${testId}-token` : undefined}>
            {part}
          </Tag>
        ) : (
          <Text key={i} inline>
            {part}
          </Text>
        ),
      )}
    </Flex>
  );
}
