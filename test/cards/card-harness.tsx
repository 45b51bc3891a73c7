// Renders the LINE card with @hubspot/ui-extensions/testing while its hubspot.fetch calls go to the real
// backend, signed by the HubSpot emulator exactly as HubSpot signs them.
import { vi } from 'vitest';
import { Button, Panel } from '@hubspot/ui-extensions';
import { createRenderer, type RenderedFragmentNode } from '@hubspot/ui-extensions/testing';
import { LineCard } from '../../src/app/cards/LineCard.tsx';
import type { ChatWorld } from '../support/chat-world.ts';

export interface Agent {
  userId: number;
  userEmail: string;
}

/**
 * Routes hubspot.fetch (self.hsFetch) to the backend as `agent()` of `portalId()`; `lostAnswers` says how many
 * answers of a request are lost on the way back (HubSpot retries once after the first).
 */
export function routeHubSpotFetch(world: Pick<ChatWorld, 'hubspot'>, who: { portalId(): number; agent(): Agent; lostAnswers?(method: string, url: string): number }): void {
  vi.stubGlobal('self', globalThis);
  vi.stubGlobal('hsFetch', (url: string | URL, options: { method?: string; body?: object; timeout?: number } = {}) => {
    const agent = who.agent();
    return world.hubspot.hubspotFetch(String(url), {
      portalId: who.portalId(),
      userId: agent.userId,
      userEmail: agent.userEmail,
      method: options.method,
      body: options.body,
      timeoutMs: options.timeout,
      lostAnswers: who.lostAnswers?.(options.method ?? 'GET', String(url)),
    });
  });
}

export function renderCard(world: ChatWorld, contactId: number, o: { locale?: string; backendUrl?: string; linkPollMs?: number } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  /** Stands in for actions.refreshObjectProperties: the calls the card made. */
  const refreshObjectProperties = vi.fn();
  renderer.render(
    <LineCard backendUrl={o.backendUrl ?? world.backend.url} contactId={contactId} locale={o.locale ?? 'en-US'} refreshObjectProperties={refreshObjectProperties} linkPollMs={o.linkPollMs} />,
  );
  /** The chat panel of the (first or given) account; re-read after every render, nodes are snapshots. */
  const panel = (accountId?: number): RenderedFragmentNode => {
    const buttons = renderer.findAll(Button, { testId: 'open-chat' });
    const button = accountId === undefined ? buttons[0] : buttons.find((b) => (b.props.overlay as RenderedFragmentNode).find(Panel).props.id === `line-chat-${accountId}`);
    if (!button) throw new Error('no "Open LINE chat" button');
    return button.props.overlay as RenderedFragmentNode;
  };
  return {
    ...renderer,
    refreshObjectProperties,
    panel,
    open: (accountId?: number) => panel(accountId).find(Panel).trigger('onOpen'),
    close: (accountId?: number) => panel(accountId).find(Panel).trigger('onClose'),
  };
}
