// The feature folders the app is composed of, one line each; app.ts mounts their routes and the worker
// runs their jobs.
import type { Feature } from './feature.ts';
import { accountsFeature } from './accounts/feature.ts';
import { chatFeature } from './chat/feature.ts';
import { conversationFeature } from './conversation/feature.ts';
import { groupChatFeature } from './group-chat/feature.ts';
import { groupsFeature } from './groups/feature.ts';
import { healthFeature } from './health/feature.ts';
import { hubspotWebhooksFeature } from './hubspot-webhooks/feature.ts';
import { inboundFeature } from './inbound/feature.ts';
import { installFeature } from './install/feature.ts';
import { keyRotationFeature } from './key-rotation/feature.ts';
import { lineLoginFeature } from './line-login/feature.ts';
import { mediaFeature } from './media/feature.ts';
import { templatesFeature } from './templates/feature.ts';
import { workflowFeature } from './workflow/feature.ts';

export const features: Feature[] = [
  healthFeature,
  installFeature,
  hubspotWebhooksFeature,
  accountsFeature,
  inboundFeature,
  conversationFeature,
  groupsFeature,
  mediaFeature,
  chatFeature,
  groupChatFeature,
  templatesFeature,
  keyRotationFeature,
  workflowFeature,
  lineLoginFeature,
];
