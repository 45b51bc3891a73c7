// HubSpot's webhook deliveries about contacts (deletion, merge, privacy deletion, LINE user ID changes).
import type { Feature } from '../feature.ts';
import { hubspotWebhookEventJob } from './apply-event.ts';
import { hubspotWebhookRoutes } from './routes.ts';

export const hubspotWebhooksFeature: Feature = { name: 'hubspot-webhooks', routes: hubspotWebhookRoutes, jobs: [hubspotWebhookEventJob] };
