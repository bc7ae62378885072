/**
 * Where a fault plan reaches into the runtime. The injector (core/faults/, above this
 * layer) implements these hooks; the runtime calls them at deployment and at the named
 * points of the checkpoint protocol, and knows nothing of plans. Without a plan the hooks
 * are absent and cost nothing.
 */
import type { StreamNode } from '../graph/index.ts';
import type { AnyOperator, SinkCrashPoint } from '../operators/index.ts';

/** Named points of the checkpoint and commit protocols where a `crash-at` fault can kill a subtask (CONTRACT 1.2). */
export type TaskCrashPoint = 'snapshot' | 'after-ack' | SinkCrashPoint;

/** A fault killed the task (kill-task, crash-at): the message is the failure's cause. */
export class FaultInjectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultInjectedError';
  }
}

export interface FaultHooks {
  /** At deployment: the operator instance to use for `node` in subtask `task` (the same, or a wrapper that counts records). */
  wrapOperator(task: string, node: StreamNode, instance: AnyOperator): AnyOperator;
  crashesAt(task: string, point: TaskCrashPoint, checkpointId: number): boolean;
  snapshotFails(task: string, checkpointId: number): boolean;
  /** A `fail-commit` fault: the commit of sink `operator` in subtask `task` throws (once). */
  commitFails(task: string, operator: string, checkpointId: number): boolean;
}
