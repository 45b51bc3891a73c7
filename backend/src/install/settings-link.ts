// Where a user finds the app's settings in HubSpot after installing. Unconfirmed: HubSpot documents no
// deep link to a developer-platform app's settings page, so this opens the portal's Connected apps list,
// which links to each installed app's settings.
import type { Config } from '../config.ts';

export function hubspotAppSettingsUrl(config: Config, portalId: number): string {
  return `${config.HUBSPOT_APP_BASE_URL}/connected-apps/${portalId}/installed`;
}
