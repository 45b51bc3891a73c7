// For a contact without a LINE user: the account's linking URL and QR code to share, or a known user ID to enter.
import { useState } from 'react';
import { Button, ButtonRow, Flex, Image, Input, Link, Text } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import { errorText } from '../api/loadable.ts';
import type { AccountStatus } from '../api/types.ts';
import { LINE_USER_ID, useLinkContact } from '../hooks/useLinkContact.ts';
import type { Translator } from '../i18n/translator.ts';

interface Props {
  client: BackendClient;
  contactId: number;
  entry: AccountStatus;
  i18n: Translator;
  onLinked(entry: AccountStatus): void;
}

export function LinkingHelp({ client, contactId, entry, i18n, onLinked }: Props) {
  const { t } = i18n;
  const [lineUserId, setLineUserId] = useState('');
  const { link, linking, error } = useLinkContact(client, contactId, entry.account.id, onLinked);
  const typed = lineUserId.trim();
  const invalid = typed !== '' && !LINE_USER_ID.test(typed);
  return (
    <Flex direction="column" gap="sm" testId="line-linking-help">
      <Text>{t.notLinked}</Text>
      <Text variant="microcopy">{t.shareLink}</Text>
      <Link href={{ url: entry.linking.sharedUrl, external: true }} testId="line-login-url">
        {entry.linking.sharedUrl}
      </Link>
      <Image src={entry.linking.qrCodeUrl} alt={t.qrAlt} width={120} height={120} testId="line-login-qr" />
      <ButtonRow>
        <Button size="xs" variant="secondary" href={{ url: `${entry.linking.qrCodeUrl}?download=1`, external: true }} testId="line-login-qr-png">
          {t.downloadPng}
        </Button>
        <Button size="xs" variant="secondary" href={{ url: `${entry.linking.qrCodeSvgUrl}?download=1`, external: true }} testId="line-login-qr-svg">
          {t.downloadSvg}
        </Button>
      </ButtonRow>
      <Input
        name={`line-user-id-${entry.account.id}`}
        label={t.manualLinkLabel}
        description={t.manualLinkHelp}
        value={lineUserId}
        onInput={setLineUserId}
        onChange={setLineUserId}
        error={invalid || Boolean(error)}
        validationMessage={invalid ? t.manualLinkInvalid : error ? errorText(t, error) : undefined}
        testId="line-user-id-input"
      />
      <Button size="sm" disabled={!LINE_USER_ID.test(typed) || linking} onClick={() => link(typed)} testId="line-link-button">
        {linking ? t.linking : t.link}
      </Button>
    </Flex>
  );
}
