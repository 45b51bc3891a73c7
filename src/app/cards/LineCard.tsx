import { hubspot, Text } from '@hubspot/ui-extensions';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <LineCard locale={context.user.locale} />);

export function LineCard({ locale }: { locale: string | undefined }) {
  const japanese = locale?.startsWith('ja') ?? false;
  return (
    <Text testId="line-card-loading">
      {japanese ? 'LINE アカウントの情報を読み込んでいます…' : 'Loading LINE account data…'}
    </Text>
  );
}
