// The portal's message templates: loading, loaded or failed, and a way to load them again.
import { useCallback, useEffect, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { MessageTemplate } from '../types.ts';

export type TemplatesState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; templates: MessageTemplate[] };

export function useTemplates(client: BackendClient): { state: TemplatesState; reload(): Promise<void> } {
  const [state, setState] = useState<TemplatesState>({ status: 'loading' });
  const reload = useCallback(async () => {
    try {
      const { templates } = await client.get<{ templates: MessageTemplate[] }>('/api/templates');
      setState({ status: 'ready', templates });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [client]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { state, reload };
}
