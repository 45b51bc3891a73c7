// The URLs to register in the LINE console (each with a copy button), the page customers land on after
// logging in, and what customers open or scan, with its QR code to download as PNG or SVG.
import { Button, ButtonRow, DescriptionList, DescriptionListItem, Flex, Image, Link, Text } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account } from '../types.ts';
import { CopyableUrl } from './CopyableUrl.tsx';

export function LoginLink({ account }: { account: Account }) {
  const { t } = useSettings();
  const { login } = account;
  return (
    <Flex direction="column" gap="sm">
      <DescriptionList direction="column">
        <CopyableUrl label={t.callbackUrl} url={login.callbackUrl} testId={`login-callback-url-${account.id}`} />
        <CopyableUrl label={t.liffEndpointUrl} url={login.liffEndpointUrl} testId={`login-liff-endpoint-url-${account.id}`} />
        {login.redirectUrl ? (
          <CopyableUrl label={t.afterLoginUrl} url={login.redirectUrl} testId={`login-after-login-url-${account.id}`} />
        ) : (
          <DescriptionListItem label={t.afterLoginUrl}>
            <Text testId={`login-after-login-url-${account.id}`}>{t.afterLoginNone}</Text>
          </DescriptionListItem>
        )}
        <CopyableUrl label={t.loginLink} url={login.sharedUrl} testId={`login-url-${account.id}`} />
        <DescriptionListItem label={t.samplePage}>
          <Link href={{ url: login.samplePageUrl, external: true }} testId={`login-sample-url-${account.id}`}>{login.samplePageUrl}</Link>
        </DescriptionListItem>
      </DescriptionList>
      <Image src={login.qrCodeUrl} alt={t.qrCode} width={160} height={160} testId={`login-qr-${account.id}`} />
      <ButtonRow>
        <Button variant="secondary" href={{ url: `${login.qrCodeUrl}?download=1`, external: true }} testId={`login-qr-png-${account.id}`}>
          {t.downloadQrPng}
        </Button>
        <Button variant="secondary" href={{ url: `${login.qrCodeSvgUrl}?download=1`, external: true }} testId={`login-qr-svg-${account.id}`}>
          {t.downloadQrSvg}
        </Button>
      </ButtonRow>
    </Flex>
  );
}
