// What LINE confirmed when the LINE Login settings were saved, what needs the admin's attention, and
// what LINE cannot confirm until a customer logs in.
import { Alert, Flex, Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { LoginChannelCheck } from '../types.ts';

export function LoginCheck({ check, accountId }: { check: LoginChannelCheck; accountId: number }) {
  const { t } = useSettings();
  const { liff } = check;
  const warnings = [
    ...(liff && !liff.endpointMatches ? [t.liffEndpointDiffers(liff.endpointUrl)] : []),
    ...(liff && !liff.emailScope ? [t.liffNoEmailScope] : []),
  ];
  return (
    <Flex direction="column" gap="xs" testId={`login-check-${accountId}`}>
      <Text variant="microcopy">{t.loginChecked}</Text>
      {liff ? <Text variant="microcopy">{t.liffChecked}</Text> : null}
      {warnings.map((warning) => (
        <Alert key={warning} title={warning} variant="warning" />
      ))}
      <Text variant="microcopy">{t.loginNotCheckable}</Text>
    </Flex>
  );
}
