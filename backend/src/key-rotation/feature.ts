// Encryption key rotation: start-up refuses keys that cannot open the stored secrets, and the job that
// re-seals them with the current key is queued at start-up while older keys are configured.
import type { Feature } from '../feature.ts';
import { queueResealAtStart, resealSecretsJob } from './reseal-secrets-job.ts';

export const keyRotationFeature: Feature = {
  name: 'key-rotation',
  jobs: [resealSecretsJob],
  onStart: queueResealAtStart,
};
