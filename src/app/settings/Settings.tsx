import { hubspot, Text } from '@hubspot/ui-extensions';

hubspot.extend<'settings'>(({ context }) => <Settings locale={context.user.locale} />);

export function Settings({ locale }: { locale: string | undefined }) {
  const japanese = locale?.startsWith('ja') ?? false;
  return (
    <Text testId="line-settings-loading">
      {japanese ? 'LINE 連携の設定を読み込んでいます…' : 'Loading LINE for HubSpot settings…'}
    </Text>
  );
}
