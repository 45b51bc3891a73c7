// Encryption key rotation: the job that re-seals stored secrets with the current key, queued at start-up
// while older keys are configured.
import type { Feature } from '../feature.ts';
import { queueResealAtStart, resealSecretsJob } from './reseal-secrets-job.ts';

export const keyRotationFeature: Feature = {
  name: 'key-rotation',
  jobs: [resealSecretsJob],
  onStart: queueResealAtStart,
};
