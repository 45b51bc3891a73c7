// What the settings page receives about an operation: where it is, how far it got, and how it ended.
import type { AccountOperation, OperationFailure, OperationKind, OperationState, OperationStep } from './operations.ts';

export interface OperationView {
  id: string;
  kind: OperationKind;
  state: OperationState;
  step: OperationStep | null;
  progress: { done: number; total: number };
  /** The account the operation is about (for a connect: once it is stored). */
  accountId: number | null;
  /** As the request would have answered it had it waited: e.g. 422 invalid_channel_secret. */
  error: OperationFailure | null;
  startedAt: number;
  updatedAt: number;
}

const INTERRUPTED: OperationFailure = {
  status: 503,
  code: 'operation_interrupted',
  message: 'The app stopped before this finished. Check the account and try again.',
};

export function operationView(operation: AccountOperation, now = Date.now()): OperationView {
  const interrupted = operation.state === 'running' && now > operation.deadlineAt;
  return {
    id: operation.id,
    kind: operation.kind,
    state: interrupted ? 'failed' : operation.state,
    step: interrupted ? null : operation.step,
    progress: { done: operation.done, total: operation.total },
    accountId: operation.lineAccountId,
    error: interrupted ? INTERRUPTED : operation.error,
    startedAt: operation.createdAt,
    updatedAt: operation.updatedAt,
  };
}
