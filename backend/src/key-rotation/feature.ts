// Encryption key rotation: the job that re-seals stored secrets with the current key, queued at start-up
// while older keys are configured.
import type { Feature } from '../features.ts';
import { queueResealAtStart, RESEAL_SECRETS_JOB, resealSecretsJob } from './reseal-secrets-job.ts';

export const keyRotationFeature: Feature = {
  name: 'key-rotation',
  jobs: (ctx) => ({ [RESEAL_SECRETS_JOB]: resealSecretsJob(ctx) }),
  onStart: queueResealAtStart,
};
