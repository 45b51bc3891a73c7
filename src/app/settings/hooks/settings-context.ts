// What every part of the page needs: the strings in the user's language, the backend client, the locale
// (for dates and numbers), HubSpot's alert, clipboard and overlay actions. Provided once by SettingsPage.
import { createContext, useContext } from 'react';
import type { Messages } from '../i18n.ts';
import type { BackendClient } from '../api/backend-client.ts';

export interface SettingsServices {
  t: Messages;
  locale: string;
  client: BackendClient;
  /** How often a running operation is polled. */
  pollIntervalMs: number;
  notify(message: string, type?: 'success' | 'danger'): void;
  /** Puts text on the user's clipboard and says so. */
  copy(text: string): void;
  /** Closes the modal or panel with this id (HubSpot's closeOverlay action). */
  closeOverlay(id: string): void;
}

export const SettingsServicesContext = createContext<SettingsServices | null>(null);

export function useSettings(): SettingsServices {
  const services = useContext(SettingsServicesContext);
  if (!services) throw new Error('useSettings() used outside SettingsPage');
  return services;
}
