// Creating or editing a template: a name and 1-5 messages, each plain text or LINE JSON, previewed as the
// customer will see them. The backend checks LINE's rules; its 400 is shown next to the field it names.
import { useState } from 'react';
import { Alert, Button, Flex, Heading, Input, LoadingButton, Select, Text, TextArea, Tile } from '@hubspot/ui-extensions';
import { BackendError } from '../api/backend-client.ts';
import { useAction } from '../hooks/useAction.ts';
import { useSettings } from '../hooks/settings-context.ts';
import { errorText } from '../api/loadable.ts';
import type { Messages } from '../i18n.ts';
import { MAX_TEMPLATE_MESSAGES, draftOf, emptyDraft, messageOf, type Draft, type DraftKind } from '../template-draft.ts';
import type { MessageTemplate } from '../types.ts';
import { TemplatePreview } from './TemplatePreview.tsx';

interface Props {
  template?: MessageTemplate;
  onSaved(): Promise<void>;
  onCancel(): void;
}

/** The backend's 400 by field path (`name`, `messages.2` …). */
const problemsOf = (error: unknown): Record<string, string> =>
  error instanceof BackendError ? Object.fromEntries(error.fields.map((f) => [f.path, f.message])) : {};

/** What to say above the buttons: problems no single field shows, or that some field shows one. */
function generalError(t: Messages, error: unknown, problems: Record<string, string>): string | null {
  if (!error) return null;
  if (error instanceof BackendError && error.code === 'not_found') return t.templateGone;
  if (error instanceof BackendError && error.status === 400) return problems.messages ?? problems['(body)'] ?? t.templateFixFields;
  return errorText(t, error);
}

export function TemplateEditor({ template, onSaved, onCancel }: Props) {
  const { t, client, notify } = useSettings();
  const [draft, setDraft] = useState<Draft>(() => (template ? draftOf(template) : emptyDraft()));
  const [jsonProblems, setJsonProblems] = useState<Record<string, string>>({});
  const save = useAction();
  const key = template ? String(template.id) : 'new';
  const parsed = draft.messages.map(messageOf);
  const problems = { ...problemsOf(save.error), ...jsonProblems };

  const setMessage = (i: number, change: Partial<{ kind: DraftKind; value: string }>) =>
    setDraft((d) => ({ ...d, messages: d.messages.map((m, j) => (j === i ? { ...m, ...change } : m)) }));

  async function submit() {
    const local = Object.fromEntries(parsed.flatMap((p, i) => ('problem' in p ? [[`messages.${i}`, t.templateJsonProblem(p.problem)]] : [])));
    setJsonProblems(local);
    if (Object.keys(local).length > 0) return;
    const body = { name: draft.name, messages: parsed.flatMap((p) => ('message' in p ? [p.message] : [])) };
    await save.run(async () => {
      if (template) await client.request('PUT', `/api/templates/${template.id}`, body);
      else await client.request('POST', '/api/templates', body);
      notify(t.templateSaved(draft.name.trim()));
      await onSaved();
    });
  }

  const fieldError = (path: string) => (problems[path] ? { error: true, validationMessage: problems[path] } : {});
  const general = generalError(t, save.error, problems);

  return (
    <Tile testId={`template-editor-${key}`}>
      <Flex direction="column" gap="sm">
        <Heading>{template ? t.templateEditTitle : t.templateNewTitle}</Heading>
        <Input name="templateName" label={t.templateName} required value={draft.name} onChange={(name) => setDraft((d) => ({ ...d, name }))}
          {...fieldError('name')} testId="template-name" />
        {draft.messages.map((m, i) => (
          <Flex key={i} direction="column" gap="xs">
            <Flex direction="row" gap="sm" align="end">
              <Select name={`templateKind${i}`} label={t.templateMessage(i + 1)} value={m.kind}
                options={[{ label: t.templateKindText, value: 'text' }, { label: t.templateKindJson, value: 'json' }]}
                onChange={(kind) => setMessage(i, { kind: kind as DraftKind })} testId={`template-kind-${i}`} />
              {draft.messages.length > 1 ? (
                <Button variant="secondary" onClick={() => setDraft((d) => ({ ...d, messages: d.messages.filter((_, j) => j !== i) }))}
                  testId={`template-remove-message-${i}`}>
                  {t.templateRemoveMessage}
                </Button>
              ) : null}
            </Flex>
            <TextArea name={`templateMessage${i}`} label="" value={m.value} rows={m.kind === 'json' ? 6 : 3} resize="vertical"
              placeholder={m.kind === 'json' ? t.templateJsonPlaceholder : t.templateTextPlaceholder}
              onChange={(value) => setMessage(i, { value })} onInput={(value) => setMessage(i, { value })}
              {...fieldError(`messages.${i}`)} testId={`template-message-${i}`} />
          </Flex>
        ))}
        {draft.messages.length < MAX_TEMPLATE_MESSAGES ? (
          <Button variant="secondary" onClick={() => setDraft((d) => ({ ...d, messages: [...d.messages, { kind: 'text', value: '' }] }))}
            testId="template-add-message">
            {t.templateAddMessage(MAX_TEMPLATE_MESSAGES)}
          </Button>
        ) : null}
        <Text variant="microcopy">{t.templateTokensHelp}</Text>
        <Heading>{t.templatePreview}</Heading>
        <TemplatePreview messages={parsed.map((p) => ('message' in p ? p.message : null))} testId="template-preview" />
        {general ? <Alert title={general} variant="danger" testId="template-error" /> : null}
        <Flex direction="row" gap="sm">
          <LoadingButton variant="primary" loading={save.pending} onClick={() => void submit()} testId="template-save">
            {t.templateSave}
          </LoadingButton>
          <Button variant="secondary" onClick={onCancel} disabled={save.pending} testId="template-cancel">
            {t.cancel}
          </Button>
        </Flex>
      </Flex>
    </Tile>
  );
}
