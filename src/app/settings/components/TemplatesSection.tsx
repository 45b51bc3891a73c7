// "Message templates": what the chat composer inserts and workflow steps send. Listed with a preview,
// created, edited and deleted here; every user of the HubSpot account may manage them.
import { useState } from 'react';
import { Button, EmptyState, ErrorState, Flex, Heading, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useSettings } from '../hooks/settings-context.ts';
import { useTemplates } from '../hooks/useTemplates.ts';
import { TemplateEditor } from './TemplateEditor.tsx';
import { TemplateTile } from './TemplateTile.tsx';

function TemplateList() {
  const { t, client } = useSettings();
  const { state, reload } = useTemplates(client);
  const [creating, setCreating] = useState(false);
  if (state.status === 'loading') return <LoadingSpinner label={t.templatesLoading} showLabel layout="centered" testId="templates-loading" />;
  if (state.status === 'error') {
    return (
      <ErrorState title={t.templatesLoadFailed} testId="templates-error">
        <Text>{errorText(t, state.error)}</Text>
        <Button onClick={() => void reload()} testId="templates-reload">
          {t.tryAgain}
        </Button>
      </ErrorState>
    );
  }
  return (
    <Flex direction="column" gap="md">
      {state.value.length === 0 && !creating ? (
        <EmptyState title={t.templatesEmptyTitle} layout="horizontal" testId="templates-empty">
          <Text>{t.templatesEmptyBody}</Text>
        </EmptyState>
      ) : null}
      {state.value.map((template) => (
        <TemplateTile key={template.id} template={template} onChanged={reload} />
      ))}
      {creating ? (
        <TemplateEditor onCancel={() => setCreating(false)}
          onSaved={async () => {
            setCreating(false);
            await reload();
          }} />
      ) : (
        <Button variant="primary" onClick={() => setCreating(true)} testId="template-new">
          {t.templateNew}
        </Button>
      )}
    </Flex>
  );
}

export function TemplatesSection() {
  const { t } = useSettings();
  return (
    <Flex direction="column" gap="sm">
      <Heading>{t.templatesTitle}</Heading>
      <Text>{t.templatesIntro}</Text>
      <TemplateList />
    </Flex>
  );
}
