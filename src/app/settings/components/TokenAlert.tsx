// The one alert an account with a broken access token leads with: what stopped working, and a way straight
// to the form that replaces the token.
import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';

export function TokenAlert({ accountId, onReplace }: { accountId: number; onReplace(): void }) {
  const { t } = useSettings();
  return (
    <Alert title={t.tokenBrokenTitle} variant="danger" testId={`token-alert-${accountId}`}>
      <Flex direction="column" gap="sm">
        <Text>{t.tokenBrokenBody}</Text>
        <Button onClick={onReplace} testId={`token-alert-replace-${accountId}`}>
          {t.replaceToken}
        </Button>
      </Flex>
    </Alert>
  );
}
