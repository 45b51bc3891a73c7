// LINE Login for one account: its Login channel, optional LIFF app, the page after login, email required,
// and (once set) the URLs to register in the LINE console and the login link with its QR code.
import { useState } from 'react';
import { Alert, Button, Flex, Input, LoadingButton, Text, Toggle } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account, LoginChannelCheck } from '../types.ts';
import { LoginCheck } from './LoginCheck.tsx';
import { LoginLink } from './LoginLink.tsx';
import { LoginOffModal } from './LoginOffModal.tsx';

export function LoginSettings({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t, client, notify } = useSettings();
  const { login } = account;
  const [form, setForm] = useState({
    channelId: login.channelId ?? '',
    channelSecret: '',
    liffId: login.liffId ?? '',
    redirectUrl: login.redirectUrl ?? '',
    requireEmail: login.requireEmail,
  });
  const save = useAction();
  const [check, setCheck] = useState<LoginChannelCheck | null>(null);
  const set = (field: 'channelId' | 'channelSecret' | 'liffId' | 'redirectUrl') => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function saveLogin() {
    await save.run(async () => {
      const answer = await client.request<{ loginCheck: LoginChannelCheck }>('PUT', `/api/accounts/${account.id}/login`, {
        channelId: form.channelId,
        ...(form.channelSecret.trim() ? { channelSecret: form.channelSecret } : {}),
        liffId: form.liffId.trim() || null,
        redirectUrl: form.redirectUrl.trim() || null,
        requireEmail: form.requireEmail,
      });
      setForm((f) => ({ ...f, channelSecret: '' }));
      setCheck(answer.loginCheck);
      notify(t.saved);
      await onChanged();
    });
  }

  async function turnedOff() {
    setCheck(null);
    setForm({ channelId: '', channelSecret: '', liffId: '', redirectUrl: '', requireEmail: false });
    await onChanged();
  }

  return (
    <Flex direction="column" gap="sm">
      <Input name="loginChannelId" label={t.loginChannelId} value={form.channelId} onChange={set('channelId')} testId={`login-channel-id-${account.id}`} />
      <Input name="loginChannelSecret" type="password" label={t.loginChannelSecret} value={form.channelSecret} onChange={set('channelSecret')}
        description={login.channelSecretSet ? t.loginChannelSecretKeep : undefined} testId={`login-channel-secret-${account.id}`} />
      <Input name="liffId" label={t.liffId} value={form.liffId} onChange={set('liffId')} testId={`login-liff-id-${account.id}`} />
      <Input name="redirectUrl" label={t.redirectUrl} description={t.redirectUrlHelp} value={form.redirectUrl} onChange={set('redirectUrl')}
        testId={`login-redirect-url-${account.id}`} />
      <Toggle label={t.requireEmail} labelDisplay="inline" checked={form.requireEmail}
        onChange={(checked) => setForm((f) => ({ ...f, requireEmail: checked }))} testId={`login-require-email-${account.id}`} />
      {save.error ? <Alert title={errorText(t, save.error)} variant="danger" testId={`login-error-${account.id}`} /> : null}
      <Flex direction="row" gap="sm">
        <LoadingButton loading={save.pending} disabled={!form.channelId.trim()} onClick={() => void saveLogin()} testId={`login-save-${account.id}`}>
          {t.saveLogin}
        </LoadingButton>
        {login.channelId ? (
          <Button variant="secondary" overlay={<LoginOffModal account={account} onTurnedOff={turnedOff} />} testId={`login-clear-${account.id}`}>
            {t.removeLogin}
          </Button>
        ) : null}
      </Flex>
      {check ? <LoginCheck check={check} accountId={account.id} /> : null}
      {login.channelId ? <LoginLink account={account} /> : <Text variant="microcopy">{t.callbackUrl}: {login.callbackUrl}</Text>}
    </Flex>
  );
}
