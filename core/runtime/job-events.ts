/**
 * The messages of a running job, as events on the kernel's agenda: those the JobManager
 * sends its tasks (run a step, fire a timer, trigger or notify a checkpoint) and those
 * that reach the JobManager (a failure, a restart's backoff ended, a slot request timed
 * out, a heartbeat timed out, a TaskManager registered, a task's checkpoint message).
 * Each names the attempt it is for, so one that arrives after its attempt is gone is
 * dropped instead of reaching the attempt after it.
 */
import type { KernelEvent } from '../kernel/index.ts';
import type { TaskSnapshot } from '../checkpoint/index.ts';

export interface TaskEvent extends KernelEvent {
  readonly type: 'task.run' | 'task.timer' | 'task.trigger-checkpoint' | 'task.notify-checkpoint' | 'task.alignment-timeout';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint?: number;
  readonly timestampMs?: number;
  readonly savepoint?: boolean;
  readonly complete?: boolean;
  readonly suspend?: boolean;
}

export interface JobManagerEvent extends KernelEvent {
  readonly type: 'jobmanager.failure' | 'jobmanager.restart' | 'jobmanager.slot-timeout' | 'jobmanager.heartbeat-timeout' | 'jobmanager.taskmanager-registered' | 'jobmanager.checkpoint-message';
  readonly task?: string;
  readonly attempt?: number;
  readonly cause?: string;
  readonly restart?: number;
  readonly taskManager?: string;
  readonly message?: CheckpointMessage;
}

export type CheckpointMessage =
  | { readonly kind: 'ack'; readonly checkpoint: number; readonly snapshot: TaskSnapshot; readonly alignmentMs: number }
  | { readonly kind: 'decline'; readonly checkpoint: number; readonly reason: string };
