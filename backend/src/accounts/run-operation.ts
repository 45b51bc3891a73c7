// Runs a settings-page operation in the background of the process that accepted it: the request answers
// 202 with the operation at once, and the work records its steps and outcome on the operation's row.
// Not a queued job on purpose: connecting and rotating hold channel secrets that are not stored until LINE
// accepted them, and a job would have to persist them first. If the process stops midway, the operation
// passes its deadline and reads as interrupted; the admin starts it again.
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { insertOperation, updateOperation, type AccountOperation, type NewOperation, type OperationChanges, type OperationFailure } from './operations.ts';

export interface OperationProgress {
  /** Records what the operation does now and how far it got. */
  report(changes: Pick<OperationChanges, 'step' | 'done' | 'lineAccountId'>): Promise<void>;
}

/** For the same work done within a request (nothing polls it): progress goes nowhere. */
export const untracked: OperationProgress = { report: async () => {} };

function failureOf(error: unknown): OperationFailure {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  return { status: 500, code: 'internal_error', message: 'The operation failed unexpectedly. Try again; if it keeps failing, the backend logs say why.' };
}

export async function startOperation(
  ctx: AppContext,
  operation: NewOperation,
  work: (progress: OperationProgress) => Promise<{ lineAccountId?: number; result?: unknown }>,
): Promise<AccountOperation> {
  const started = await insertOperation(ctx, operation);
  const { portalId, id } = started;
  const progress: OperationProgress = { report: (changes) => updateOperation(ctx, portalId, id, changes) };
  void (async () => {
    try {
      const outcome = await work(progress);
      await updateOperation(ctx, portalId, id, { state: 'succeeded', step: null, done: operation.total, ...outcome });
    } catch (error) {
      const failure = failureOf(error);
      if (failure.status >= 500 && !(error instanceof HttpError)) ctx.logger.error({ err: error, portalId, operationId: id, kind: operation.kind }, 'account operation failed');
      await updateOperation(ctx, portalId, id, { state: 'failed', step: null, error: failure });
    }
  })().catch((error: unknown) => ctx.logger.error({ err: error, portalId, operationId: id }, 'account operation outcome not recorded'));
  return started;
}
