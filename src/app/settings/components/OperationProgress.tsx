// How far an operation that waits on LINE has got: a progress bar titled with what it does now.
import { ProgressBar } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/settings-context.ts';
import type { Operation } from '../types.ts';

export function OperationProgress({ operation, testId }: { operation: Operation | null; testId: string }) {
  const { t } = useSettings();
  if (!operation) return null;
  const { done, total } = operation.progress;
  const title = operation.step ? t.operationSteps[operation.step] : t.checking;
  return (
    <ProgressBar
      title={title}
      value={done}
      maxValue={Math.max(total, 1)}
      valueDescription={t.progressOf(done, total)}
      testId={testId}
    />
  );
}
