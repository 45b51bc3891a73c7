// After ENCRYPTION_KEY changes (the old key moved to ENCRYPTION_PREVIOUS_KEYS), every stored secret still
// sealed with an old key is re-sealed with the new one; once "secrets re-sealed" is logged, the old key
// can be removed. Queued at every start while previous keys are configured: a process that still ran
// with the old key during a rolling restart may have sealed with it, and the pass after the last start
// catches that.
import type { AppContext } from '../context.ts';
import { accountSecretKeysMissing, resealAccountSecrets } from '../accounts/repository.ts';
import { portalTokenKeysMissing, resealPortalTokens } from '../hubspot/portal-tokens.ts';
import { StartupError } from '../startup-error.ts';
import { z } from 'zod';
import { defineJob, jobOf } from '../jobs/define-job.ts';

/**
 * Refuses to start when stored secrets were sealed with a key that is no longer configured: otherwise
 * every request that needs them would fail later with a 500.
 */
async function requireKnownKeys(ctx: AppContext): Promise<void> {
  const missing = new Set([...(await portalTokenKeysMissing(ctx)), ...(await accountSecretKeysMissing(ctx))]);
  if (missing.size === 0) return;
  throw new StartupError(
    `ENCRYPTION_KEY cannot open the stored secrets (sealed with key id ${[...missing].join(', ')}; the current key's id is ${ctx.secrets.currentKeyId}). ` +
      'If ENCRYPTION_KEY was changed on purpose, put the old key into ENCRYPTION_PREVIOUS_KEYS (comma-separated) and start again: ' +
      'the secrets are then re-sealed with the new key and the old one can be removed once "secrets re-sealed" is logged.',
  );
}

/** Checks the configured keys open every stored secret, then queues a re-seal pass unless one is already waiting to run (it would start after this process anyway). */
export async function queueResealAtStart(ctx: AppContext): Promise<void> {
  await requireKnownKeys(ctx);
  if (ctx.config.ENCRYPTION_PREVIOUS_KEYS.length === 0) return;
  if (await ctx.queue.hasQueued(resealSecretsJob.type)) return;
  // One partition: passes run one after another, never side by side.
  await ctx.queue.enqueue(jobOf(resealSecretsJob, {}, { partitionKey: resealSecretsJob.type }));
}

export const resealSecretsJob = defineJob({
  type: 'secrets.reseal',
  payload: z.object({}),
  async run(ctx: AppContext) {
    const portalTokens = await resealPortalTokens(ctx);
    const lineAccountSecrets = await resealAccountSecrets(ctx);
    const unreadable = portalTokens.unreadable + lineAccountSecrets.unreadable;
    if (unreadable) ctx.logger.warn({ portalTokens: portalTokens.unreadable, lineAccountSecrets: lineAccountSecrets.unreadable }, 'secrets sealed with a key that is not configured were left as they are');
    ctx.logger.info(
      { resealed: { portalTokens: portalTokens.resealed, lineAccountSecrets: lineAccountSecrets.resealed }, unreadable, keyId: ctx.secrets.currentKeyId },
      'secrets re-sealed',
    );
  },
});
