/**
 * What a task needs from the runtime around it: the kernel, the trace, the sinks, and
 * the JobManager's and network's services. An interface, so a task can also be driven by
 * a test harness without a whole cluster.
 */
import type { Kernel } from '../kernel/index.ts';
import type { SinkRegistry } from '../operators/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { StreamTask } from './task.ts';

export interface TaskHost {
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  readonly sinks: SinkRegistry;
  /** Puts a `task.run` on the agenda (now, or at `atMs`), once. */
  scheduleRun(task: StreamTask, atMs?: number): void;
  /** Sends the task's pending output buffers into the network. */
  flush(task: StreamTask): void;
  taskFinished(task: StreamTask): void;
  taskFailed(task: StreamTask, cause: string): void;
}
