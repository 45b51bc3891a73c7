// The conversation's state in HubSpot (LINE properties, unanswered flag, owner task, timeline): the job run
// once an outbound message was sent, and the one that writes a link made outside inbound processing.
import type { Feature } from '../feature.ts';
import { outboundSentJob } from './outbound-sent-job.ts';
import { syncLinkJob } from './sync-link-job.ts';

export const conversationFeature: Feature = { name: 'conversation', jobs: [outboundSentJob, syncLinkJob] };
