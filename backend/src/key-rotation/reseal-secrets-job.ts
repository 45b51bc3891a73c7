// After ENCRYPTION_KEY changes (the old key moved to ENCRYPTION_PREVIOUS_KEYS), every stored secret still
// sealed with an old key is re-sealed with the new one; once "secrets re-sealed" is logged, the old key
// can be removed. Queued at every start while previous keys are configured: a process that still ran
// with the old key during a rolling restart may have sealed with it, and the pass after the last start
// catches that.
import type { AppContext } from '../context.ts';
import { resealAccountSecrets } from '../accounts/repository.ts';
import { resealPortalTokens } from '../hubspot/portal-tokens.ts';
import { z } from 'zod';
import { defineJob, jobOf } from '../jobs/define-job.ts';

/** Queues a pass unless one is already waiting to run (it would start after this process anyway). */
export async function queueResealAtStart(ctx: AppContext): Promise<void> {
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
