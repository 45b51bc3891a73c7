// The portal's message templates: loading, loaded or failed, and a way to load them again.
import { useCallback } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { MessageTemplate } from '../types.ts';
import { useLoaded } from './useLoaded.ts';

export function useTemplates(client: BackendClient) {
  const read = useCallback(async () => (await client.get<{ templates: MessageTemplate[] }>('/api/templates')).templates, [client]);
  return useLoaded(read);
}
