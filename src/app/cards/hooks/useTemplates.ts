// The portal's message templates for the composer's saved texts; loaded once per open panel. null until
// they are loaded, and when they could not be: the saved texts are then left out, not shown as none.
import { useEffect, useState } from 'react';
import type { BackendClient } from '../api/backend-client.ts';
import type { MessageTemplate } from '../api/types.ts';

/**
 * The text a template puts in the composer: only a template of one text message has one. The chat sends
 * one text per request, so the others (several messages, stickers, flex …) are for workflow steps.
 */
export function composerText(template: MessageTemplate): string | null {
  const [first, ...rest] = template.messages;
  return rest.length === 0 && first?.type === 'text' && typeof first.text === 'string' ? first.text : null;
}

export function useTemplates(client: BackendClient, enabled: boolean): MessageTemplate[] | null {
  const [templates, setTemplates] = useState<MessageTemplate[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    client
      .get<{ templates: MessageTemplate[] }>('/api/templates')
      .then((body) => current && setTemplates(body.templates))
      .catch(() => current && setTemplates(null));
    return () => {
      current = false;
    };
  }, [client, enabled]);
  return templates;
}
