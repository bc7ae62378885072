/**
 * The ExecutionGraph (Flink's name): the JobManager's view of a job as it runs. It holds
 * the job's status (JobStatus) and, for every subtask, its current execution attempt with
 * that attempt's ExecutionState. Every change of either is traced here, so the trace shows
 * the job and each attempt go through Flink's states, and where each attempt was deployed.
 * A subtask's counters outlive its attempts: the report counts what the subtask did.
 */
import type { JobGraph } from '../graph/index.ts';
import type { Kernel } from '../kernel/index.ts';
import type { ExecutionState, JobStatus, TraceLog } from '../trace/index.ts';
import { newTaskMetrics, StreamTask, type TaskHost, type TaskMetrics } from './task.ts';
import type { TaskLifecycle } from './task-lifecycle.ts';

export class ExecutionGraph {
  status: JobStatus = 'CREATED';
  failureCause: string | null = null;
  #jobGraph: JobGraph | null = null;
  #jobId = '';
  readonly #current = new Map<string, StreamTask>();
  readonly #order: string[] = [];
  readonly #metrics = new Map<string, TaskMetrics>();
  readonly #sourceIds = new Set<string>();

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceLog,
  ) {}

  /** Whether the job reached a terminal state. */
  get ended(): boolean {
    return this.status === 'FINISHED' || this.status === 'FAILED' || this.status === 'CANCELED';
  }

  get jobGraph(): JobGraph {
    return this.#jobGraph!;
  }

  /** Every subtask id, in deployment order. */
  get ids(): readonly string[] {
    return this.#order;
  }

  /** The current attempt of every subtask, in deployment order. */
  get tasks(): StreamTask[] {
    return this.#order.map((id) => this.#current.get(id)!);
  }

  task(id: string): StreamTask | undefined {
    return this.#current.get(id);
  }

  /** The current attempt of subtask `id`, which exists. */
  attempt(id: string): StreamTask {
    return this.#current.get(id)!;
  }

  /** `task` becomes the current attempt of its subtask. */
  replace(task: StreamTask): void {
    this.#current.set(task.id, task);
  }

  /** Counters of a subtask over all its attempts. */
  metricsOf(id: string): TaskMetrics {
    return this.#metrics.get(id)!;
  }

  /** Records read by every source subtask this run has had (also those of a job before a rescale). */
  get sourceRecordsIn(): number {
    let n = 0;
    for (const [id, m] of this.#metrics) if (this.#sourceIds.has(id)) n += m.recordsIn;
    return n;
  }

  /** A job's start: each subtask gets a first attempt, or the attempt after its attempt in `previous`. */
  start(jobGraph: JobGraph, jobId: string, previous: ReadonlyMap<string, StreamTask>, host: TaskHost): void {
    this.#jobGraph = jobGraph;
    this.#jobId = jobId;
    this.setJobStatus('CREATED', null);
    for (const vertex of jobGraph.vertices) {
      for (let i = 0; i < vertex.parallelism; i++) {
        const id = `${vertex.id}#${i}`;
        this.#order.push(id);
        if (!this.#metrics.has(id)) this.#metrics.set(id, newTaskMetrics());
        if (vertex.isSource) this.#sourceIds.add(id);
        // Attempts go on counting per subtask, so nothing addressed to a stopped job reaches the new one.
        this.#current.set(id, new StreamTask(vertex, i, (previous.get(id)?.attempt ?? 0) + 1, host, this.#metrics.get(id)!));
      }
    }
  }

  /** The job is gone (to be submitted again): its attempts, which the next start counts on from. Counters stay. */
  clear(): ReadonlyMap<string, StreamTask> {
    const previous = new Map(this.#current);
    this.#order.length = 0;
    this.#current.clear();
    this.failureCause = null;
    return previous;
  }

  setJobStatus(status: JobStatus, cause: string | null): void {
    this.status = status;
    this.trace.emit({ tag: 'job.status', timeMs: this.kernel.clock.nowMs, job: this.#jobId, status, cause });
  }

  setTaskStatus(task: StreamTask, next: TaskLifecycle, status: ExecutionState, cause: string | null): void {
    if (task.lifecycle.kind !== next.kind) task.moveTo(next);
    const at = { tag: 'task.status', timeMs: this.kernel.clock.nowMs, task: task.id, attempt: task.attempt, status, cause } as const;
    // Where an attempt runs is part of the run: losing a TaskManager loses exactly the attempts in its slots.
    this.trace.emit(status === 'DEPLOYING' && task.slot !== null ? { ...at, slot: task.slot.id } : at);
  }
}
