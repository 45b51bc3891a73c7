// What a workflow branch sees of an execution: line_delivery (sent, not_linked, blocked, failed) and
// line_error in words. Every outcome is a successful execution for HubSpot, so the workflow goes on and
// branches on line_delivery instead of stopping.
export type Delivery = 'sent' | 'not_linked' | 'blocked' | 'failed';

export interface Outcome {
  delivery: Delivery;
  error: string | null;
}

export function outputFieldsOf(outcome: Outcome): Record<string, string> {
  return { line_delivery: outcome.delivery, line_error: outcome.error ?? '', hs_execution_state: 'SUCCESS' };
}
