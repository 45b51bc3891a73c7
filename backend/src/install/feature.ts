// The HubSpot app itself: install and uninstall, the portal's status for the settings page, who may
// change its settings, the LINE contact properties it provisions, and HubSpot's webhook deliveries about contacts.
import { Router } from 'express';
import type { Feature } from '../features.ts';
import { PROVISION_PROPERTIES_JOB, provisionPropertiesJob } from '../hubspot/provision-properties.ts';
import { HUBSPOT_WEBHOOK_EVENT_JOB, hubspotWebhookEventJob } from '../hubspot-webhooks/apply-event.ts';
import { hubspotWebhookRoutes } from '../hubspot-webhooks/routes.ts';
import { adminRolesRoutes } from './admin-roles-routes.ts';
import { eraseRefusedPortalJob } from './erase-refused-portal-job.ts';
import { CHECK_INSTALLS_JOB, checkInstallsJob } from './install-check-job.ts';
import { installRoutes } from './install-routes.ts';
import { ERASE_REFUSED_PORTAL_JOB } from './portal-refused.ts';
import { portalRoutes } from './portal-routes.ts';

export const hubspotAppFeature: Feature = {
  name: 'hubspot-app',
  routes: (ctx) => Router().use(installRoutes(ctx), portalRoutes(ctx), adminRolesRoutes(ctx), hubspotWebhookRoutes(ctx)),
  jobs: (ctx) => ({
    [PROVISION_PROPERTIES_JOB]: provisionPropertiesJob(ctx),
    [ERASE_REFUSED_PORTAL_JOB]: eraseRefusedPortalJob(ctx),
    [HUBSPOT_WEBHOOK_EVENT_JOB]: hubspotWebhookEventJob(ctx),
    [CHECK_INSTALLS_JOB]: checkInstallsJob(ctx),
  }),
};
