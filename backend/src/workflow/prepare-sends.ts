// What a batch of executions sends, settled before LINE is called: each record's messages rendered, the
// result within LINE's limits, and JSON messages accepted by LINE's validate endpoint. The rest are refused
// with the reason a workflow branch shows in line_error.
import type { LineAccount } from '../accounts/repository.ts';
import type { AppContext } from '../context.ts';
import { jobErrorFor } from '../hubspot/portal-client.ts';
import { PermanentJobError, RetryJobError } from '../jobs/job-errors.ts';
import type { Execution } from './executions.ts';
import { fillTokens } from './fill-tokens.ts';
import { checkWithLine, type Checked } from './line-verdicts.ts';

/** The sorted executions, or the error to retry the batch with when HubSpot could not answer now. */
export type Prepared = Checked | { retry: RetryJobError };

export async function prepareSends(ctx: AppContext, account: LineAccount, executions: Execution[], lineTimeoutMs: number): Promise<Prepared> {
  let filled: Checked;
  try {
    filled = await fillTokens(ctx, account.portalId, executions);
  } catch (error) {
    const jobError = jobErrorFor(error);
    if (jobError instanceof RetryJobError) return { retry: jobError };
    if (jobError instanceof PermanentJobError) return { ready: [], refused: [{ executions, error: `HubSpot did not give the properties the messages need: ${jobError.message}` }] };
    throw error;
  }
  const checked = await checkWithLine(ctx, account, filled.ready, lineTimeoutMs);
  return { ready: checked.ready, refused: [...filled.refused, ...checked.refused] };
}
