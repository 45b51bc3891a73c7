// Renders the real settings page with @hubspot/ui-extensions/testing, its hubspot.fetch going through the
// HubSpot emulator (real v3 signature, portalId/userId appended) to the real backend on loopback. Either the
// page component itself, or (with `entry`) what Settings.tsx registered with hubspot.extend, handed the
// context and actions HubSpot hands it.
import { vi, type Mock } from 'vitest';
import type { ReactNode } from 'react';
import type { AddAlertAction, ExtensionPointApiActions, ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsPage } from '../../src/app/settings/components/SettingsPage.tsx';
import type { World } from '../accounts/world.ts';

export interface PageHarness extends ReturnType<typeof createRenderer<'settings'>> {
  /** HubSpot's addAlert action as the page called it. */
  addAlert: Mock<AddAlertAction>;
  /** The `timeout` of every hubspot.fetch the page made (undefined: HubSpot's default). */
  timeouts: Array<number | undefined>;
  /** HubSpot's closeOverlay action as the page called it. */
  closeOverlay: Mock<(id: string) => void>;
  /** HubSpot's copyTextToClipboard action as the page called it. */
  copyTextToClipboard: Mock<(text: string) => Promise<void>>;
  /** The portal whose user the next hubspot.fetch calls are signed for. */
  portalId: number;
  /** While set, hubspot.fetch calls wait until `release()` (to look at the page mid-request). */
  hold(): void;
  release(): void;
  /** Makes hubspot.fetch fail like an unreachable backend until called with false. */
  offline(down: boolean): void;
}

/** The callback Settings.tsx passes to hubspot.extend<'settings'>. */
export type SettingsEntry = (api: { context: ExtensionPointApiContext<'settings'>; actions: ExtensionPointApiActions<'settings'> }) => ReactNode;

/** `user`: the HubSpot user whose calls are signed (default: the portal's super admin). */
export function renderSettingsPage(
  w: Pick<World, 'hubspot' | 'backend'>,
  o: { portalId: number; user?: { userId: number; userEmail: string }; locale?: string; backendUrl?: string | null; offline?: boolean; entry?: SettingsEntry },
): PageHarness {
  const renderer = createRenderer('settings');
  let gate: Promise<void> | null = null;
  let open: () => void = () => {};
  let down = o.offline ?? false;
  const harness: PageHarness = Object.assign(renderer, {
    addAlert: vi.fn<AddAlertAction>(),
    timeouts: [],
    copyTextToClipboard: vi.fn<(text: string) => Promise<void>>(async () => undefined),
    closeOverlay: vi.fn<(id: string) => void>(),
    portalId: o.portalId,
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    offline(value: boolean) {
      down = value;
    },
  });
  vi.stubGlobal('self', globalThis);
  vi.stubGlobal('hsFetch', async (url: string, options: { method?: string; body?: unknown; timeout?: number } = {}) => {
    harness.timeouts.push(options.timeout);
    if (gate) await gate;
    if (down) throw new TypeError('Failed to fetch');
    return w.hubspot.hubspotFetch(url, { portalId: harness.portalId, ...o.user, method: options.method, body: options.body, timeoutMs: options.timeout });
  });
  const context = {
    user: { ...renderer.mocks.context.user, locale: o.locale ?? 'en-US' },
    variables: o.backendUrl === null ? undefined : { BACKEND_URL: o.backendUrl ?? w.backend.url },
  };
  if (o.entry) {
    const actions = { ...renderer.mocks.actions, addAlert: harness.addAlert, copyTextToClipboard: harness.copyTextToClipboard, closeOverlay: harness.closeOverlay };
    renderer.render(o.entry({ context: { ...renderer.mocks.context, ...context }, actions }));
    return harness;
  }
  // Operations are polled every 10 ms here instead of every second.
  renderer.render(<SettingsPage context={context} addAlert={harness.addAlert} copyTextToClipboard={harness.copyTextToClipboard} closeOverlay={harness.closeOverlay} pollIntervalMs={10} />);
  return harness;
}
