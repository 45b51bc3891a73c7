// The portal's saved texts for the composer; loaded once per open panel. Failing to load them only hides the picker.
import { useEffect, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { ChatTemplate } from '../api/types.ts';

export function useTemplates(client: BackendClient, enabled: boolean): ChatTemplate[] {
  const [templates, setTemplates] = useState<ChatTemplate[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    client
      .get<{ templates: ChatTemplate[] }>('/api/templates')
      .then((body) => current && setTemplates(body.templates))
      .catch(() => current && setTemplates([]));
    return () => {
      current = false;
    };
  }, [client, enabled]);
  return templates;
}
