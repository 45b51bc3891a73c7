// How one LINE account gets linked to this contact, inside the invitation panel: the link to send (with a
// copy button) and its QR code to scan, and, folded away for the rare case, a LINE user ID the agent knows.
import { useState } from 'react';
import { Accordion, Button, ButtonRow, Flex, Image, Input, Text } from '@hubspot/ui-extensions';
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
  copyText(text: string): Promise<void>;
  onLinked(entry: AccountStatus): void;
}

export function LinkingHelp({ client, contactId, entry, i18n, copyText, onLinked }: Props) {
  const { t } = i18n;
  const { sharedUrl, qrCodeUrl, qrCodeSvgUrl } = entry.linking;
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const [lineUserId, setLineUserId] = useState('');
  const { link, linking, error } = useLinkContact(client, contactId, entry.account.id, onLinked);
  const typed = lineUserId.trim();
  const invalid = typed !== '' && !LINE_USER_ID.test(typed);
  const copy = () => copyText(sharedUrl).then(() => setCopied('copied'), () => setCopied('failed'));
  return (
    <Flex direction="column" gap="md" testId="line-linking-help">
      <Text>{t.inviteIntro}</Text>
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: 'demibold' }} testId="line-login-url">
          {sharedUrl}
        </Text>
        <Flex direction="row" gap="sm" align="center" wrap>
          <Button variant="primary" onClick={copy} testId="line-login-url-copy">
            {copied === 'copied' ? t.copied : t.copyLink}
          </Button>
          {copied === 'failed' ? <Text variant="microcopy">{t.copyFailed}</Text> : null}
        </Flex>
      </Flex>
      <Image src={qrCodeUrl} alt={t.qrAlt} width={160} height={160} testId="line-login-qr" />
      <ButtonRow>
        <Button variant="secondary" href={{ url: `${qrCodeUrl}?download=1`, external: true }} testId="line-login-qr-png">
          {t.downloadPng}
        </Button>
        <Button variant="secondary" href={{ url: `${qrCodeSvgUrl}?download=1`, external: true }} testId="line-login-qr-svg">
          {t.downloadSvg}
        </Button>
      </ButtonRow>
      <Accordion title={t.advanced} testId="line-link-advanced">
        <Flex direction="column" gap="sm">
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
          <Button variant="secondary" disabled={!LINE_USER_ID.test(typed) || linking} onClick={() => link(typed)} testId="line-link-button">
            {linking ? t.linking : t.link}
          </Button>
        </Flex>
      </Accordion>
    </Flex>
  );
}
