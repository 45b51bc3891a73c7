// The card's one action for accounts not linked to this contact: "Invite to link", opening a modal panel
// with the link to send, its QR code and the manual form (LinkingHelp), for the account chosen when
// several are unlinked, instead of all of it repeated on the card for every account.
import { useState } from 'react';
import { Button, Panel, PanelBody, PanelSection, Select } from '@hubspot/ui-extensions';
import type { BackendClient } from '../api/backend-client.ts';
import type { AccountStatus } from '../api/types.ts';
import type { Translator } from '../i18n/translator.ts';
import { LinkingHelp } from './LinkingHelp.tsx';

export const INVITE_PANEL_ID = 'line-invite';

interface Props {
  client: BackendClient;
  contactId: number;
  /** The accounts not linked to this contact, at least one. */
  unlinked: AccountStatus[];
  i18n: Translator;
  copyText(text: string): Promise<void>;
  onLinked(entry: AccountStatus): void;
}

export function InviteToLink({ client, contactId, unlinked, i18n, copyText, onLinked }: Props) {
  const { t } = i18n;
  const [chosen, setChosen] = useState(unlinked[0].account.id);
  // An account linked meanwhile (by LINE Login, or here) leaves the list: show one that is still unlinked.
  const entry = unlinked.find((a) => a.account.id === chosen) ?? unlinked[0];
  return (
    <Button
      variant="secondary"
      testId="line-invite"
      overlay={
        <Panel id={INVITE_PANEL_ID} variant="modal" title={t.inviteTitle} width="md" testId="line-invite-panel">
          <PanelBody>
            <PanelSection>
              {unlinked.length > 1 ? (
                <Select
                  name="line-invite-account"
                  label={t.inviteAccount}
                  value={entry.account.id}
                  options={unlinked.map((a) => ({ label: a.account.name, value: a.account.id }))}
                  onChange={(value) => setChosen(Number(value))}
                  testId="line-invite-account"
                />
              ) : null}
              <LinkingHelp key={entry.account.id} client={client} contactId={contactId} entry={entry} i18n={i18n} copyText={copyText} onLinked={onLinked} />
            </PanelSection>
          </PanelBody>
        </Panel>
      }
    >
      {t.inviteToLink}
    </Button>
  );
}
