// One saved template: its name and preview, with edit and (after confirming) delete.
import { useState } from 'react';
import { Alert, Button, Flex, Heading, LoadingButton, Tile } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { MessageTemplate } from '../types.ts';
import { TemplateEditor } from './TemplateEditor.tsx';
import { TemplatePreview } from './TemplatePreview.tsx';

export function TemplateTile({ template, onChanged }: { template: MessageTemplate; onChanged(): Promise<void> }) {
  const { t, client, notify } = useSettings();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useAction();
  const id = template.id;

  if (editing) {
    return (
      <TemplateEditor template={template} onCancel={() => setEditing(false)}
        onSaved={async () => {
          setEditing(false);
          await onChanged();
        }} />
    );
  }
  return (
    <Tile testId={`template-${id}`}>
      <Flex direction="column" gap="sm">
        <Heading>{template.name}</Heading>
        <TemplatePreview messages={template.messages} testId={`template-preview-${id}`} />
        {confirming ? (
          <Alert title={t.templateDeleteConfirm(template.name)} variant="danger" testId={`template-delete-confirm-${id}`}>
            {remove.error ? errorText(t, remove.error) : null}
            <Flex direction="row" gap="sm">
              <LoadingButton variant="destructive" loading={remove.pending} testId={`template-delete-yes-${id}`}
                onClick={() => void remove.run(async () => {
                  await client.request('DELETE', `/api/templates/${id}`);
                  notify(t.templateDeleted(template.name));
                  await onChanged();
                })}>
                {t.templateDeleteYes}
              </LoadingButton>
              <Button variant="secondary" onClick={() => setConfirming(false)} disabled={remove.pending} testId={`template-delete-cancel-${id}`}>
                {t.cancel}
              </Button>
            </Flex>
          </Alert>
        ) : (
          <Flex direction="row" gap="sm">
            <Button onClick={() => setEditing(true)} testId={`template-edit-${id}`}>
              {t.templateEdit}
            </Button>
            <Button variant="destructive" onClick={() => setConfirming(true)} testId={`template-delete-${id}`}>
              {t.templateDelete}
            </Button>
          </Flex>
        )}
      </Flex>
    </Tile>
  );
}
