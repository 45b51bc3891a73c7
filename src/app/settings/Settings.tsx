// Entry point of the app's settings page in HubSpot: LINE Official Accounts, their health and options.
import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './components/SettingsPage.tsx';

hubspot.extend<'settings'>(({ context, actions }) => (
  <SettingsPage context={context} addAlert={actions.addAlert} copyTextToClipboard={actions.copyTextToClipboard} closeOverlay={actions.closeOverlay} />
));
