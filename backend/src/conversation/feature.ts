// The conversation's state in HubSpot (unanswered flag, owner task, timeline); the job run once an outbound message was sent.
import type { Feature } from '../feature.ts';
import { outboundSentJob } from './outbound-sent-job.ts';

export const conversationFeature: Feature = { name: 'conversation', jobs: [outboundSentJob] };
