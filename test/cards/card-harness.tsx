// Renders the LINE card with @hubspot/ui-extensions/testing as HubSpot does: what LineCard.tsx registers
// with hubspot.extend, called with a context (the user's locale, the profile's BACKEND_URL, the record)
// and actions, while its hubspot.fetch calls go to the real backend, signed by the HubSpot emulator
// exactly as HubSpot signs them.
import { vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { Button, Image, Panel, hubspot } from '@hubspot/ui-extensions';
import { createRenderer, type RenderedFragmentNode } from '@hubspot/ui-extensions/testing';
import type { ChatWorld } from '../support/chat-world.ts';

const WAIT_FOR_MS = 5_000;

type CardEntry = Parameters<typeof hubspot.extend<'crm.record.sidebar'>>[0];

/**
 * The card's entry point, as LineCard.tsx hands it to hubspot.extend when HubSpot loads it. Test files share
 * their worker's modules, and this module alone loads LineCard.tsx, so the registration is seen once here.
 */
const registered: CardEntry[] = [];
const extend = vi.spyOn(hubspot, 'extend').mockImplementation((callback) => {
  registered.push(callback as CardEntry);
});
await import('../../src/app/cards/LineCard.tsx');
extend.mockRestore();
if (registered.length !== 1) throw new Error(`LineCard.tsx registered ${registered.length} extensions, expected 1`);
const lineCardEntry = registered[0];

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

const appConfig = JSON.parse(readFileSync(new URL('../../src/app/app-hsmeta.json', import.meta.url), 'utf8')) as { config: { permittedUrls: { img: string[] } } };

/**
 * The Image sources under `node` HubSpot would not load: an Image shows only from the hosts the app lists in
 * permittedUrls.img (the profile's BACKEND_URL being the test backend's).
 */
export function unpermittedImageSources(world: Pick<ChatWorld, 'backend'>, node: { findAll: RenderedFragmentNode['findAll'] }): string[] {
  const permitted = appConfig.config.permittedUrls.img.map((entry) => new URL(entry.replace('${BACKEND_URL}', world.backend.config.PUBLIC_BASE_URL)).origin);
  return node.findAll(Image).map((image) => String(image.props.src)).filter((src) => !permitted.includes(new URL(src).origin));
}

export function renderCard(world: ChatWorld, contactId: number, o: { locale?: string; backendUrl?: string } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  const { context, actions } = renderer.mocks;
  /** HubSpot's actions as the card called them. */
  const refreshObjectProperties = vi.fn();
  const copyTextToClipboard = vi.fn(async (_text: string) => undefined);
  const closeOverlay = vi.fn((_id: string) => undefined);
  renderer.render(
    lineCardEntry({
      context: {
        ...context,
        user: { ...context.user, locale: o.locale ?? 'en-US' },
        crm: { ...context.crm, objectId: contactId, objectTypeId: '0-1' },
        variables: { BACKEND_URL: o.backendUrl ?? world.backend.url },
      },
      actions: { ...actions, refreshObjectProperties, copyTextToClipboard, closeOverlay },
    } as unknown as Parameters<CardEntry>[0]),
  );
  /** The test id of a per-account part of the card (they end with the account's id), of world.account unless named. */
  const idOf = (base: string, accountId = world.account.id) => `${base}-${accountId}`;
  /** The chat panel of the (first or given) account; re-read after every render, nodes are snapshots. */
  const panel = (accountId?: number): RenderedFragmentNode => {
    const button = accountId === undefined ? renderer.findAll(Button, (b) => String(b.props.testId).startsWith('open-chat-'))[0] : renderer.maybeFindByTestId(Button, idOf('open-chat', accountId));
    if (!button) throw new Error('no "Open LINE chat" button');
    return button.props.overlay as RenderedFragmentNode;
  };
  /** The "Invite to link" panel; re-read after every render, nodes are snapshots. */
  const invite = (): RenderedFragmentNode => renderer.findByTestId(Button, 'line-invite').props.overlay as RenderedFragmentNode;
  return {
    ...renderer,
    // The card answers through a real backend on a shared 2-core machine: the renderer's 1 s default is too short under load.
    waitFor: (check: () => void, options?: { timeoutInMs?: number }) => renderer.waitFor(check, { timeoutInMs: WAIT_FOR_MS, ...options }),
    invite,
    idOf,
    refreshObjectProperties,
    copyTextToClipboard,
    closeOverlay,
    panel,
    open: (accountId?: number) => panel(accountId).find(Panel).trigger('onOpen'),
    close: (accountId?: number) => panel(accountId).find(Panel).trigger('onClose'),
  };
}
