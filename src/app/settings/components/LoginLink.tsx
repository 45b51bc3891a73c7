// The URLs to register in the LINE console, and the login link customers open or scan.
import { DescriptionList, DescriptionListItem, Flex, Image, Link, Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account } from '../types.ts';

export function LoginLink({ account }: { account: Account }) {
  const { t } = useSettings();
  const { login } = account;
  return (
    <Flex direction="column" gap="sm">
      <DescriptionList direction="column">
        <DescriptionListItem label={t.callbackUrl}>
          <Text testId={`login-callback-url-${account.id}`}>{login.callbackUrl}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.liffEndpointUrl}>
          <Text testId={`login-liff-endpoint-url-${account.id}`}>{login.liffEndpointUrl}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={t.loginLink}>
          <Link href={{ url: login.loginUrl, external: true }} testId={`login-url-${account.id}`}>{login.loginUrl}</Link>
        </DescriptionListItem>
      </DescriptionList>
      <Image src={login.qrCodeUrl} alt={t.qrCode} width={160} height={160} testId={`login-qr-${account.id}`} />
      <Link href={{ url: login.qrCodeUrl, external: true }} testId={`login-qr-download-${account.id}`}>
        {t.downloadQr}
      </Link>
    </Flex>
  );
}
