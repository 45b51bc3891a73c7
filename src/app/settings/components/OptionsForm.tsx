// Per-account behaviour: automatic contacts, owner tasks, and how conversations reach the timeline.
import { useState } from 'react';
import { Alert, Flex, Heading, LoadingButton, Select, Toggle } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { Account, TimelineMode } from '../types.ts';

export function OptionsForm({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { t, client, notify } = useSettings();
  const [options, setOptions] = useState(account.options);
  const save = useAction();
  const timelineOptions = [
    { label: t.timelineAppEvents, value: 'app_events' },
    { label: t.timelineNotes, value: 'notes' },
    { label: t.timelineOff, value: 'off' },
  ];
  return (
    <Flex direction="column" gap="sm">
      <Heading>{t.optionsTitle}</Heading>
      <Toggle label={t.autoCreateContacts} labelDisplay="inline" checked={options.autoCreateContacts}
        onChange={(checked) => setOptions((o) => ({ ...o, autoCreateContacts: checked }))} testId={`option-auto-create-${account.id}`} />
      <Toggle label={t.autoCreateCompanies} labelDisplay="inline" checked={options.autoCreateCompanies}
        onChange={(checked) => setOptions((o) => ({ ...o, autoCreateCompanies: checked }))} testId={`option-auto-create-companies-${account.id}`} />
      <Toggle label={t.ownerTasks} labelDisplay="inline" checked={options.ownerTasks}
        onChange={(checked) => setOptions((o) => ({ ...o, ownerTasks: checked }))} testId={`option-owner-tasks-${account.id}`} />
      <Select label={t.timeline} options={timelineOptions} value={options.timelineMode}
        onChange={(value) => setOptions((o) => ({ ...o, timelineMode: value as TimelineMode }))} testId={`option-timeline-${account.id}`} />
      {save.error ? <Alert title={errorText(t, save.error)} variant="danger" /> : null}
      <LoadingButton size="sm" loading={save.pending} testId={`options-save-${account.id}`}
        onClick={() => void save.run(async () => {
          await client.request('PATCH', `/api/accounts/${account.id}`, options);
          notify(t.saved);
          await onChanged();
        })}>
        {t.saveOptions}
      </LoadingButton>
    </Flex>
  );
}
