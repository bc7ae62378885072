/**
 * The JobManager (Flink's JobMaster with its scheduler): it takes a JobGraph from the
 * Client, asks the cluster for slots, deploys one execution attempt per subtask, has the
 * network wire the channels between them, and follows every attempt to the job's end.
 *
 * Failover, as Flink's DefaultScheduler does it: a failed subtask is reported to the
 * restart strategy. If it may restart, the failover strategy picks what restarts: the
 * failed subtask's pipelined region (`region`, Flink's default; the job stays RUNNING) or
 * every subtask (`full`; the job goes RESTARTING). Those subtasks are canceled, their
 * channels torn down, and after the strategy's backoff they are deployed again as new
 * attempts, restored from the latest completed checkpoint. If it may not, the job FAILS.
 *
 * A TaskManager that dies takes the attempts in its slots with it at once, but the
 * JobManager notices only when its heartbeat times out; then those attempts fail.
 */
import type { CheckpointingSpec, JobEdge, JobGraph, JobVertex, StateBackendKind, StreamNode } from '../graph/index.ts';
import { CHECKPOINTING_DEFAULTS, DEFAULT_FAULT_TOLERANCE } from '../graph/index.ts';
import { MAX_TIME_MS } from '../model/index.ts';
import { assert, type Kernel, type KernelEvent } from '../kernel/index.ts';
import type { AnyOperator } from '../operators/index.ts';
import type { World } from '../world/index.ts';
import { createRestartStrategy, regionOf, type RestartBackoffTimeStrategy } from '../recovery/index.ts';
import { CheckpointCoordinator, type CompletedCheckpoint, type CoordinatorGateway, type TaskRef, type TaskSnapshot } from '../checkpoint/index.ts';
import type { OperatorSnapshot } from '../state/index.ts';
import type { ExecutionState, JobStatus, TraceLog } from '../trace/index.ts';
import type { Channel } from './channel.ts';
import { Cluster, type ClusterConfig } from './cluster.ts';
import { deploymentPlanOf } from './deployment-plan.ts';
import { CheckpointBarrier } from './elements.ts';
import type { FaultHooks, TaskCrashPoint } from './fault-hooks.ts';
import { Network, PRIORITY } from './network.ts';
import { newTaskMetrics, StreamTask, type TaskHost, type TaskMetrics, type TaskRestore } from './task.ts';
import type { TaskLifecycle } from './task-lifecycle.ts';

interface TaskEvent extends KernelEvent {
  readonly type: 'task.run' | 'task.timer' | 'task.trigger-checkpoint' | 'task.notify-checkpoint' | 'task.alignment-timeout';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint?: number;
  readonly timestampMs?: number;
  readonly savepoint?: boolean;
  readonly complete?: boolean;
  readonly suspend?: boolean;
}

interface JobManagerEvent extends KernelEvent {
  readonly type: 'jobmanager.failure' | 'jobmanager.restart' | 'jobmanager.slot-timeout' | 'jobmanager.heartbeat-timeout' | 'jobmanager.taskmanager-registered' | 'jobmanager.checkpoint-message';
  readonly task?: string;
  readonly attempt?: number;
  readonly cause?: string;
  readonly restart?: number;
  readonly taskManager?: string;
  readonly message?: CheckpointMessage;
}

type CheckpointMessage =
  | { readonly kind: 'ack'; readonly checkpoint: number; readonly snapshot: TaskSnapshot; readonly alignmentMs: number }
  | { readonly kind: 'decline'; readonly checkpoint: number; readonly reason: string };

/** One restart, as the report lists it. */
export interface RestartRecord {
  at: number;
  cause: string;
  attempt: number;
  delay: number;
  tasks: string[];
  restoredFrom: number | null;
}

/**
 * A restart decision waiting for its backoff. As Flink's ExecutionVertexVersioner, a later
 * failure that restarts some of its subtasks takes them over: they leave `tasks`.
 */
interface PendingRestart {
  readonly id: number;
  tasks: string[];
  readonly record: RestartRecord;
}

/** Subtasks whose restart found no slots (or the first deployment), waiting for a TaskManager to register. */
interface SlotWait {
  /** Names the wait's slot-request timeout. */
  readonly id: number;
  tasks: string[];
  records: RestartRecord[];
  restore: CompletedCheckpoint | null;
  readonly first: boolean;
}

export class JobManager implements TaskHost, CoordinatorGateway {
  status: JobStatus = 'CREATED';
  failureCause: string | null = null;
  readonly network: Network;
  readonly coordinator: CheckpointCoordinator | null = null;
  readonly checkpointing: CheckpointingSpec | null;
  readonly periodicCheckpointing: boolean;
  readonly stateBackend: StateBackendKind;
  /** The stop-with-savepoint in progress: its savepoint id. */
  #stopping: number | null = null;
  #jobGraph: JobGraph | null = null;
  #jobId = '';
  #cluster: Cluster | null = null;
  readonly #current = new Map<string, StreamTask>();
  readonly #order: string[] = [];
  readonly #metrics = new Map<string, TaskMetrics>();
  readonly #vertexOf = new Map<string, JobVertex>();
  #restartStrategy: RestartBackoffTimeStrategy;
  #regions: readonly (readonly string[])[] = [];
  /** Incremented per restart decision: it names the decision's `jobmanager.restart`. */
  #restartCount = 0;
  /** Every decision still in its backoff: each region restarts after its own failure's delay. */
  readonly #pendingRestarts: PendingRestart[] = [];
  #waiting: SlotWait | null = null;
  #waitCount = 0;
  #hooks: FaultHooks | null = null;

  constructor(
    readonly kernel: Kernel,
    readonly trace: TraceLog,
    readonly world: World,
    private readonly clusterConfig: ClusterConfig,
    jobGraph: JobGraph,
    /** Whether the scenario takes savepoints: then barriers flow even without periodic checkpointing. */
    savepoints = false,
  ) {
    const ft = jobGraph.config.faultTolerance ?? DEFAULT_FAULT_TOLERANCE;
    this.periodicCheckpointing = ft.checkpointing !== null;
    this.stateBackend = ft.stateBackend;
    this.checkpointing = ft.checkpointing ?? (savepoints ? { ...CHECKPOINTING_DEFAULTS, intervalMs: MAX_TIME_MS } : null);
    this.#restartStrategy = createRestartStrategy(ft.restartStrategy, ft.checkpointing !== null, kernel.random.stream('restart-strategy'));
    this.network = new Network(kernel, clusterConfig);
    if (this.checkpointing !== null) this.coordinator = new CheckpointCoordinator(kernel, trace, this.checkpointing, ft.stateBackend, this, this.periodicCheckpointing);
    this.failoverStrategy = ft.failoverStrategy;
    kernel.on('task.run', (e) => {
      const task = this.#live(e as TaskEvent);
      if (task === null) return;
      task.runScheduled = false;
      task.run();
    });
    kernel.on('task.timer', (e) => this.#live(e as TaskEvent)?.fireProcessingTime());
    kernel.on('task.trigger-checkpoint', (e) => this.#onTrigger(e as TaskEvent));
    kernel.on('task.notify-checkpoint', (e) => this.#onNotify(e as TaskEvent));
    kernel.on('task.alignment-timeout', (e) => this.#live(e as TaskEvent)?.onAlignmentTimeout((e as TaskEvent).checkpoint!));
    kernel.on('jobmanager.failure', (e) => this.#onFailure(e as JobManagerEvent));
    kernel.on('jobmanager.restart', (e) => this.#onRestart(e as JobManagerEvent));
    kernel.on('jobmanager.slot-timeout', (e) => this.#onSlotTimeout(e as JobManagerEvent));
    kernel.on('jobmanager.heartbeat-timeout', (e) => this.#onHeartbeatTimeout(e as JobManagerEvent));
    kernel.on('jobmanager.taskmanager-registered', () => this.#onTaskManagerRegistered());
    kernel.on('jobmanager.checkpoint-message', (e) => this.#onCheckpointMessage(e as JobManagerEvent));
  }

  readonly failoverStrategy: 'region' | 'full';

  /** Whether the job reached a terminal state. */
  get ended(): boolean {
    return this.status === 'FINISHED' || this.status === 'FAILED' || this.status === 'CANCELED';
  }

  get cluster(): Cluster | null {
    return this.#cluster;
  }

  /** The current attempt of every subtask, in deployment order. */
  get tasks(): StreamTask[] {
    return this.#order.map((id) => this.#current.get(id)!);
  }

  get channels(): Channel[] {
    return this.network.channels;
  }

  task(id: string): StreamTask | undefined {
    return this.#current.get(id);
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

  readonly #sourceIds = new Set<string>();

  setFaultHooks(hooks: FaultHooks): void {
    this.#hooks = hooks;
  }

  /** Called by the Client at submission. */
  submit(jobGraph: JobGraph, jobId: string): void {
    this.#start(jobGraph, jobId, new Map(), null);
  }

  /**
   * A job's start: its subtasks (each a first attempt, or the attempt after `previous`'s),
   * its pipelined regions and cluster, and the deployment once slots are there.
   */
  #start(jobGraph: JobGraph, jobId: string, previous: ReadonlyMap<string, StreamTask>, restore: CompletedCheckpoint | null): void {
    this.#jobGraph = jobGraph;
    this.#jobId = jobId;
    this.#setJobStatus('CREATED', null);
    for (const vertex of jobGraph.vertices) {
      for (let i = 0; i < vertex.parallelism; i++) {
        const id = `${vertex.id}#${i}`;
        this.#order.push(id);
        this.#vertexOf.set(id, vertex);
        if (!this.#metrics.has(id)) this.#metrics.set(id, newTaskMetrics());
        if (vertex.isSource) this.#sourceIds.add(id);
        // Attempts go on counting per subtask, so nothing addressed to a stopped job reaches the new one.
        this.#current.set(id, new StreamTask(vertex, i, (previous.get(id)?.attempt ?? 0) + 1, this, this.#metrics.get(id)!));
      }
    }
    const plan = deploymentPlanOf(jobGraph);
    this.#regions = this.failoverStrategy === 'full' ? [[...this.#order]] : plan.regions;
    this.#cluster = new Cluster(this.clusterConfig, plan.maxParallelism);
    this.#setJobStatus('RUNNING', null);
    for (const task of this.tasks) this.#setTaskStatus(task, { kind: 'created' }, 'SCHEDULED', null);
    this.#deployWhenSlots([...this.#order], restore, true, []);
  }

  /**
   * Deploys `ids` once the cluster has slots for them; otherwise waits, failing after the
   * slot request timeout. A restart that finds others already waiting waits with them.
   */
  #deployWhenSlots(ids: string[], restore: CompletedCheckpoint | null, first: boolean, records: RestartRecord[]): void {
    const waiting = this.#waiting;
    if (waiting !== null) {
      this.#waiting = null;
      ids = this.#order.filter((id) => ids.includes(id) || waiting.tasks.includes(id));
      records = [...waiting.records, ...records];
      first = first && waiting.first;
    }
    const indexes = [...new Set(ids.map((id) => this.#current.get(id)!.index))];
    if (!this.#cluster!.canPlace(indexes)) {
      this.#waiting = { id: waiting?.id ?? ++this.#waitCount, tasks: ids, records, restore, first };
      if (waiting !== null) return;
      // Like Flink, wait for resources that may still register; give up after the timeout.
      const event: JobManagerEvent = { type: 'jobmanager.slot-timeout', restart: this.#waitCount };
      this.kernel.scheduleAfter(this.clusterConfig.slotRequestTimeoutMs, PRIORITY.jobManager, event);
      return;
    }
    this.#deploy(ids, restore, first, records);
  }

  #deploy(ids: string[], restore: CompletedCheckpoint | null, first: boolean, records: readonly RestartRecord[]): void {
    const jobGraph = this.#jobGraph!;
    const tasks = new Map<string, StreamTask>();
    for (const id of ids) {
      const old = this.#current.get(id)!;
      const task = first ? old : new StreamTask(old.vertex, old.index, old.attempt + 1, this, this.#metrics.get(id)!);
      this.#current.set(id, task);
      tasks.set(id, task);
      const slot = this.#cluster!.slotFor(task.index);
      assert(slot !== null, () => `no slot for ${id} although the cluster said it had one`);
      task.slot = slot;
    }
    const inSet = (e: JobEdge) => ids.some((id) => id.startsWith(`${e.source}#`)) && ids.some((id) => id.startsWith(`${e.target}#`));
    const writers = this.network.connect(jobGraph.edges.filter(inSet), tasks, deploymentPlanOf(jobGraph).vertexById);
    const restores = new Map<string, TaskRestore | null>();
    for (const task of tasks.values()) restores.set(task.id, restore === null ? null : restoreFor(task.vertex, task.index, restore));
    for (const record of records) record.restoredFrom = restore?.id ?? null;
    if (restore !== null || !first) {
      this.trace.emit({ tag: 'job.restored', timeMs: this.kernel.clock.nowMs, checkpoint: restore?.id ?? null, savepoint: restore?.savepoint ?? false, tasks: [...tasks.keys()] });
    }
    for (const task of tasks.values()) {
      if (!first) this.#setTaskStatus(task, { kind: 'created' }, 'SCHEDULED', null);
      this.#setTaskStatus(task, { kind: 'deploying' }, 'DEPLOYING', null);
      task.deploy(writers.get(task)!, restores.get(task.id)!);
      this.#setTaskStatus(task, { kind: 'initializing' }, 'INITIALIZING', null);
      const failure = task.initializationFailure;
      if (failure !== null) this.taskFailed(task, failure.cause, failure.injected);
    }
    for (const task of tasks.values()) {
      if (task.initializationFailure !== null) continue;
      this.#setTaskStatus(task, { kind: 'running' }, 'RUNNING', null);
      const r = restores.get(task.id);
      if (r?.finished) task.startFinishedOnRestore();
      else if (task.vertex.isSource) this.scheduleRun(task);
    }
    if (this.status === 'RESTARTING') this.#setJobStatus('RUNNING', null);
    if (this.coordinator !== null && (first || this.failoverStrategy === 'full' || ids.length === this.#order.length)) this.coordinator.startScheduler();
  }

  // ---- TaskHost ---------------------------------------------------------------------

  /** Task events (steps, timers, checkpoint triggers and notifications) dropped because their attempt was gone. */
  droppedTaskEvents = 0;

  /** The attempt an event is for, if it is still the current one and its TaskManager lives. */
  #live(event: TaskEvent): StreamTask | null {
    const task = this.#current.get(event.task);
    if (task === undefined || task.attempt !== event.attempt || !task.active) {
      this.droppedTaskEvents++;
      return null;
    }
    return task;
  }

  scheduleRun(task: StreamTask, atMs?: number): void {
    if (task.runScheduled || !task.active) return;
    task.runScheduled = true;
    const event: TaskEvent = { type: 'task.run', task: task.id, attempt: task.attempt };
    const now = this.kernel.clock.nowMs;
    this.kernel.schedule(Math.max(atMs ?? now, task.busyUntilMs, now), PRIORITY.task, event);
  }

  scheduleTimer(task: StreamTask, atMs: number): void {
    const event: TaskEvent = { type: 'task.timer', task: task.id, attempt: task.attempt };
    this.kernel.schedule(Math.max(atMs, this.kernel.clock.nowMs), PRIORITY.task, event);
  }

  flush(task: StreamTask): void {
    if (task.active) this.network.flush(task);
  }

  scheduleAlignmentTimeout(task: StreamTask, atMs: number, checkpointId: number): void {
    const event: TaskEvent = { type: 'task.alignment-timeout', task: task.id, attempt: task.attempt, checkpoint: checkpointId };
    this.kernel.schedule(atMs, PRIORITY.task, event);
  }

  returnCredit(channel: Channel): void {
    this.network.returnCredit(channel);
  }

  wrapOperator(task: string, node: StreamNode, instance: AnyOperator): AnyOperator {
    return this.#hooks === null ? instance : this.#hooks.wrapOperator(task, node, instance);
  }

  crashesAt(task: StreamTask, point: TaskCrashPoint, checkpointId: number): boolean {
    return this.#hooks?.crashesAt(task.id, point, checkpointId) ?? false;
  }

  snapshotFails(task: StreamTask, checkpointId: number): boolean {
    return this.#hooks?.snapshotFails(task.id, checkpointId) ?? false;
  }

  commitFails(task: StreamTask, operator: string, checkpointId: number): boolean {
    return this.#hooks?.commitFails(task.id, operator, checkpointId) ?? false;
  }

  taskFinished(task: StreamTask): void {
    this.#setTaskStatus(task, { kind: 'finished' }, 'FINISHED', null);
    task.stop();
    this.coordinator?.taskFinished({ task: task.id, attempt: task.attempt }, task.lastSnapshot);
    if (this.status === 'RUNNING' && this.tasks.every((t) => t.lifecycle.kind === 'finished')) {
      this.coordinator?.stopScheduler();
      this.coordinator?.abortPending('ABORTED', 'JOB_ENDED', 'the job finished');
      this.#setJobStatus('FINISHED', null);
    }
  }

  /** The attempt failed (user code threw, a fault killed it): it stops now, and the JobManager hears of it. */
  taskFailed(task: StreamTask, cause: string, injected = false): void {
    if (!task.active && task.lifecycle.kind !== 'lost' && task.lifecycle.kind !== 'initializing') return;
    this.#setTaskStatus(task, { kind: 'failed', cause }, 'FAILED', cause);
    task.stop();
    // A fault's own name is the clearest cause ("kill-task window#0"); otherwise say which subtask failed.
    const jobCause = injected ? cause : `${task.id} failed: ${cause}`;
    const event: JobManagerEvent = { type: 'jobmanager.failure', task: task.id, attempt: task.attempt, cause: jobCause };
    // Messages from one subtask reach the JobManager in the order it sent them: an acknowledgement sent before the failure arrives first.
    this.kernel.schedule(Math.max(this.kernel.clock.nowMs, this.#lastMessageAt.get(task) ?? 0), PRIORITY.jobManager, event);
  }

  acknowledgeCheckpoint(task: StreamTask, snapshot: TaskSnapshot, checkpointId: number, alignmentMs: number): void {
    const channelStateRecords = snapshot.channelState.reduce((n, c) => n + c.records.length, 0);
    this.trace.emit({ tag: 'snapshot.taken', timeMs: this.kernel.clock.nowMs, task: task.id, attempt: task.attempt, checkpoint: checkpointId, stateSize: snapshot.stateSize, channelStateRecords });
    const storage = this.checkpointing!.storage;
    const writeMs = storage.type === 'filesystem' ? storage.writeLatencyMs : 0;
    // The acknowledgement leaves when the task reaches the barrier in its own time (after the records before it).
    this.#message(task, { kind: 'ack', checkpoint: checkpointId, snapshot, alignmentMs }, writeMs + task.localNowMs() - this.kernel.clock.nowMs);
  }

  declineCheckpoint(task: StreamTask, checkpointId: number, reason: string): void {
    this.#message(task, { kind: 'decline', checkpoint: checkpointId, reason }, 0);
  }

  /** A task's message to the coordinator travels to the JobManager (network latency, plus the storage's write time for an acknowledgement). */
  #message(task: StreamTask, message: CheckpointMessage, extraMs: number): void {
    const event: JobManagerEvent = { type: 'jobmanager.checkpoint-message', task: task.id, attempt: task.attempt, message };
    const at = this.kernel.clock.nowMs + this.clusterConfig.networkLatencyMs + extraMs;
    this.#lastMessageAt.set(task, Math.max(at, this.#lastMessageAt.get(task) ?? 0));
    this.kernel.schedule(at, PRIORITY.jobManager, event);
  }

  readonly #lastMessageAt = new WeakMap<StreamTask, number>();

  #onCheckpointMessage(event: JobManagerEvent): void {
    const coordinator = this.coordinator;
    if (coordinator === null || this.ended) return;
    const ref = { task: event.task!, attempt: event.attempt! };
    const m = event.message!;
    if (m.kind === 'ack') coordinator.receiveAcknowledge(ref, m.checkpoint, m.snapshot, m.alignmentMs);
    else coordinator.receiveDecline(ref, m.checkpoint, m.reason);
  }

  // ---- CoordinatorGateway -------------------------------------------------------------

  checkpointPlan(): { trigger: TaskRef[]; acknowledge: TaskRef[]; finished: { attempt: number; snapshot: TaskSnapshot }[] } | null {
    if (this.status !== 'RUNNING') return null;
    const tasks = this.tasks;
    if (tasks.some((t) => !looksRunning(t) && t.lifecycle.kind !== 'finished')) return null;
    const finished = new Set(tasks.filter((t) => t.lifecycle.kind === 'finished').map((t) => t.id));
    const live = tasks.filter(looksRunning);
    const upstream = this.#upstream();
    const trigger = live.filter((t) => t.vertex.isSource || (upstream.get(t.id) ?? []).every((u) => finished.has(u)));
    // Finished subtasks are not asked; their last snapshot is part of the checkpoint, so a restore does not run them again.
    const finishedSnapshots = tasks.filter((t) => t.lifecycle.kind === 'finished' && t.lastSnapshot !== null).map((t) => ({ attempt: t.attempt, snapshot: t.lastSnapshot! }));
    return { trigger: trigger.map(taskRefOf), acknowledge: live.map(taskRefOf), finished: finishedSnapshots };
  }

  #upstream(): ReadonlyMap<string, readonly string[]> {
    return deploymentPlanOf(this.#jobGraph!).upstream;
  }

  triggerTask(ref: TaskRef, checkpointId: number, timestampMs: number, savepoint: boolean, synchronous: boolean): void {
    // The savepoint of a stop-with-savepoint: a source emits nothing after its barrier.
    const event: TaskEvent = { type: 'task.trigger-checkpoint', task: ref.task, attempt: ref.attempt, checkpoint: checkpointId, timestampMs, savepoint, suspend: synchronous };
    this.kernel.scheduleAfter(this.clusterConfig.networkLatencyMs, PRIORITY.task, event);
  }

  notifyComplete(refs: readonly TaskRef[], checkpointId: number): void {
    if (checkpointId === this.#stopping) return this.#finishStopped(checkpointId);
    for (const ref of refs) this.#notify(ref, checkpointId, true);
  }

  notifyAborted(_refs: readonly TaskRef[], checkpointId: number): void {
    if (checkpointId === this.#stopping) this.#stopFailed();
    // Every running attempt hears of it, also those still aligning for it.
    for (const t of this.tasks) if (t.active) this.#notify({ task: t.id, attempt: t.attempt }, checkpointId, false);
  }

  #notify(ref: TaskRef, checkpointId: number, complete: boolean): void {
    const event: TaskEvent = { type: 'task.notify-checkpoint', task: ref.task, attempt: ref.attempt, checkpoint: checkpointId, complete };
    this.kernel.scheduleAfter(this.clusterConfig.networkLatencyMs, PRIORITY.task, event);
  }

  failJob(cause: string): void {
    this.#handleFailure(null, cause, true);
  }

  #onTrigger(event: TaskEvent): void {
    const task = this.#live(event);
    if (task === null) return;
    const c = this.checkpointing!;
    // With an aligned-checkpoint timeout a checkpoint starts aligned and turns unaligned where alignment takes too long.
    const alignment = c.unaligned && c.alignedCheckpointTimeoutMs === 0 ? 'unaligned' : c.mode === 'exactly-once' ? 'aligned' : 'at-least-once';
    task.triggerCheckpoint(new CheckpointBarrier(event.checkpoint!, event.timestampMs!, event.savepoint ? 'aligned' : alignment, event.savepoint!), event.suspend === true);
  }

  #onNotify(event: TaskEvent): void {
    const task = this.#live(event);
    if (task === null) return;
    if (event.complete) task.notifyCheckpointComplete(event.checkpoint!);
    else task.notifyCheckpointAborted(event.checkpoint!);
  }

  // ---- savepoints ---------------------------------------------------------------------

  /** A `savepoint` action: the job goes on. Returns the savepoint's id. */
  triggerSavepoint(): number {
    assert(this.coordinator !== null, 'a savepoint needs the coordinator: the JobManager was created without savepoints');
    return this.coordinator.triggerSavepoint();
  }

  /**
   * A `stop-with-savepoint` action: sources stop after the savepoint's barrier; when it
   * completes the job ends FINISHED. As Flink's SchedulerBase, periodic checkpoints stop
   * first (pending ones are aborted), so that only the savepoint commits side effects.
   */
  stopWithSavepoint(): number {
    const coordinator = this.coordinator;
    assert(coordinator !== null, 'a savepoint needs the coordinator: the JobManager was created without savepoints');
    coordinator.stopScheduler();
    coordinator.abortPending('ABORTED', 'CHECKPOINT_COORDINATOR_SUSPEND', 'stop-with-savepoint');
    const id = coordinator.triggerSavepoint(true);
    if (coordinator.isPending(id)) this.#stopping = id;
    else this.#stopFailed();
    return id;
  }

  /**
   * The stop's savepoint failed (Flink's StopWithSavepointTerminationHandler): the job goes
   * on, its sources resume and periodic checkpoints start again. A savepoint's failure is
   * not counted against tolerableFailures.
   */
  #stopFailed(): void {
    this.#stopping = null;
    for (const t of this.tasks) t.resumeSource();
    if (this.status === 'RUNNING' && this.tasks.some((t) => t.active)) this.coordinator!.startScheduler();
  }

  /** The savepoint the job was stopped with, which a `resume` starts from; null when it was not stopped that way. */
  stoppedWith: number | null = null;

  /** Whether a stop-with-savepoint is under way (its savepoint pending). */
  get stopping(): boolean {
    return this.#stopping !== null;
  }

  /**
   * Stop-with-savepoint completed: every task ends FINISHED without draining, as Flink's
   * `stop`. A task that fails instead (its sink's commit throws) leaves the job inconsistent:
   * as Flink's StopWithSavepointTerminationHandler, a global failover follows and the job runs on.
   */
  #finishStopped(savepointId: number): void {
    this.#stopping = null;
    this.coordinator!.stopScheduler();
    this.coordinator!.abortPending('ABORTED', 'JOB_ENDED', `stopped with savepoint ${savepointId}`);
    for (const task of this.tasks) {
      if (!task.active) continue;
      // As in Flink, the tasks hear that the stop's savepoint completed (a sink commits) before they finish.
      task.notifyCheckpointComplete(savepointId);
      if (!task.active) {
        const cause = task.lifecycle.kind === 'failed' ? `: ${task.lifecycle.cause}` : '';
        return this.#handleFailure(null, `stop-with-savepoint: savepoint ${savepointId} completed, but ${task.id} did not finish${cause}`, true);
      }
      task.closeAfterStop();
      this.#setTaskStatus(task, { kind: 'finished' }, 'FINISHED', null);
      task.stop();
    }
    this.stoppedWith = savepointId;
    this.network.release(new Set(this.tasks));
    this.#setJobStatus('FINISHED', `stopped with savepoint ${savepointId}`);
  }

  /**
   * A `resume` action: the job is submitted again (a new job, as `flink run -s`) from the
   * latest savepoint, with the JobGraph built for its new parallelism. Keyed state is
   * redistributed by key group, operator state (a source's offsets) is handed out again.
   */
  resume(jobGraph: JobGraph, jobId: string): void {
    const savepoint = this.coordinator?.latestSavepoint() ?? null;
    assert(this.ended && savepoint !== null && savepoint.id === this.stoppedWith, 'resume needs a job stopped with a savepoint');
    this.stoppedWith = null;
    this.coordinator!.restoredFrom(savepoint);
    const previous = new Map(this.#current);
    this.#order.length = 0;
    this.#current.clear();
    this.#vertexOf.clear();
    this.failureCause = null;
    this.#restartCount = 0;
    this.#pendingRestarts.length = 0;
    this.#waiting = null;
    this.#restartStrategy = createRestartStrategy((jobGraph.config.faultTolerance ?? DEFAULT_FAULT_TOLERANCE).restartStrategy, this.periodicCheckpointing, this.kernel.random.stream(`restart-strategy/${jobId}`));
    this.#start(jobGraph, jobId, previous, savepoint);
  }

  get jobGraph(): JobGraph {
    return this.#jobGraph!;
  }

  // ---- failures and restarts ----------------------------------------------------------

  /** Kills the current attempt of subtask `id` (a `kill-task` fault): it fails at once. */
  killTask(id: string, cause: string): boolean {
    const task = this.#current.get(id);
    if (task === undefined || !task.active) return false;
    this.taskFailed(task, cause, true);
    return true;
  }

  /** A TaskManager dies (a `kill-taskmanager` fault): its attempts stop now; the JobManager notices after the heartbeat timeout. */
  loseTaskManager(tmId: string): boolean {
    const tm = this.#cluster?.taskManager(tmId);
    if (tm === undefined || !tm.alive) return false;
    this.#cluster!.lose(tmId);
    this.trace.emit({ tag: 'taskmanager.status', timeMs: this.kernel.clock.nowMs, taskManager: tmId, status: 'LOST' });
    for (const task of this.tasks) {
      if (task.slot?.taskManager === tmId && task.active) {
        task.moveTo({ kind: 'lost' });
        task.stop();
      }
    }
    const event: JobManagerEvent = { type: 'jobmanager.heartbeat-timeout', taskManager: tmId };
    this.kernel.scheduleAfter(this.clusterConfig.heartbeatTimeoutMs, PRIORITY.jobManager, event);
    return true;
  }

  #onHeartbeatTimeout(event: JobManagerEvent): void {
    const tmId = event.taskManager!;
    this.trace.emit({ tag: 'taskmanager.status', timeMs: this.kernel.clock.nowMs, taskManager: tmId, status: 'TIMED_OUT' });
    if (this.clusterConfig.replacementDelayMs !== null) {
      this.kernel.scheduleAfter(this.clusterConfig.replacementDelayMs, PRIORITY.jobManager, { type: 'jobmanager.taskmanager-registered' });
    }
    if (this.ended) return;
    const cause = `TaskManager ${tmId} lost: heartbeat timed out after ${this.clusterConfig.heartbeatTimeoutMs} ms`;
    const lost = this.tasks.filter((t) => t.lifecycle.kind === 'lost');
    for (const task of lost) this.#setTaskStatus(task, { kind: 'failed', cause }, 'FAILED', cause);
    if (lost.length > 0) this.#handleFailure(lost[0]!, cause, false, lost);
  }

  #onTaskManagerRegistered(): void {
    const id = this.#cluster!.addTaskManager();
    this.trace.emit({ tag: 'taskmanager.status', timeMs: this.kernel.clock.nowMs, taskManager: id, status: 'REGISTERED' });
    const waiting = this.#waiting;
    if (waiting !== null && !this.ended) this.#deployWhenSlots([], waiting.restore, waiting.first, []);
  }

  #onFailure(event: JobManagerEvent): void {
    const task = this.#current.get(event.task!);
    if (task === undefined || task.attempt !== event.attempt) return;
    // Already being restarted (its region failed over a moment ago): as Flink's processFail of a canceling execution, not a new failure.
    if (this.#pendingRestarts.some((p) => p.tasks.includes(task.id))) return;
    this.#handleFailure(task, event.cause!, false);
  }

  /**
   * Flink's failover (ExecutionFailureHandler, then DefaultScheduler.restartTasksWithDelay):
   * every failure is told to the restart strategy, which decides whether and after what
   * backoff; the subtasks it restarts are canceled and redeployed after that failure's own
   * backoff, whatever other regions are waiting for. Exponential-delay answers a failure
   * that comes during a pending backoff with the time left until that restart, so both
   * redeploy at one instant, without a new attempt.
   */
  #handleFailure(failed: StreamTask | null, cause: string, global: boolean, alsoFailed: readonly StreamTask[] = []): void {
    if (this.ended) return;
    const strategy = this.#restartStrategy;
    strategy.notifyFailure(this.kernel.clock.nowMs);
    if (!strategy.canRestart()) return this.#failJobForGood(cause, strategy);
    const ids = this.#affected(failed, global, alsoFailed);
    const delay = strategy.getBackoffTime();
    this.#takeOver(ids);
    const fullRestart = ids.length === this.#order.length;
    this.coordinator?.abortPending('FAILED', 'TASK_FAILURE', cause);
    if (fullRestart) this.coordinator?.stopScheduler();
    this.#cancel(ids);
    if ((fullRestart && this.failoverStrategy === 'full') || global) this.#setJobStatus('RESTARTING', cause);
    this.#scheduleRestart(ids, cause, delay);
  }

  /** One restart decision: recorded, traced, and the redeployment put on the agenda after `delayMs`. */
  #scheduleRestart(ids: string[], cause: string, delayMs: number): void {
    this.#restartCount++;
    const record: RestartRecord = { at: this.kernel.clock.nowMs, cause, attempt: this.#restartCount, delay: delayMs, tasks: ids, restoredFrom: null };
    this.#pendingRestarts.push({ id: this.#restartCount, tasks: [...ids], record });
    this.trace.emit({ tag: 'job.restarting', timeMs: this.kernel.clock.nowMs, attempt: this.#restartCount, delayMs, cause, tasks: ids });
    const event: JobManagerEvent = { type: 'jobmanager.restart', restart: this.#restartCount };
    this.kernel.scheduleAfter(delayMs, PRIORITY.jobManager, event);
  }

  /** The newest decision restarts `ids`: earlier ones, pending or waiting for slots, no longer do. */
  #takeOver(ids: readonly string[]): void {
    for (const p of this.#pendingRestarts) p.tasks = p.tasks.filter((id) => !ids.includes(id));
    const waiting = this.#waiting;
    if (waiting === null) return;
    waiting.tasks = waiting.tasks.filter((id) => !ids.includes(id));
    if (waiting.tasks.length === 0) this.#waiting = null;
  }

  /** The subtasks a failure restarts: its pipelined region (or all, for a global failure). */
  #affected(failed: StreamTask | null, global: boolean, alsoFailed: readonly StreamTask[]): string[] {
    if (global || failed === null) return [...this.#order];
    const ids = new Set<string>();
    for (const t of [failed, ...alsoFailed]) for (const id of regionOf(this.#regions, t.id)) ids.add(id);
    return this.#order.filter((id) => ids.has(id));
  }

  /** Cancels the live attempts among `ids` and tears down their channels. */
  #cancel(ids: readonly string[]): void {
    const gone = new Set<StreamTask>();
    for (const id of ids) {
      const task = this.#current.get(id)!;
      gone.add(task);
      if (task.lifecycle.kind === 'created') this.#setTaskStatus(task, { kind: 'canceled' }, 'CANCELED', null);
      else if (task.active || task.lifecycle.kind === 'lost') {
        this.#setTaskStatus(task, { kind: 'canceling' }, 'CANCELING', null);
        this.#setTaskStatus(task, { kind: 'canceled' }, 'CANCELED', null);
        task.stop();
      }
    }
    this.network.release(gone);
  }

  #onRestart(event: JobManagerEvent): void {
    const at = this.#pendingRestarts.findIndex((p) => p.id === event.restart);
    if (at === -1 || this.ended) return;
    const pending = this.#pendingRestarts.splice(at, 1)[0]!;
    // A later failure took every subtask of this one over: it restarts them itself.
    if (pending.tasks.length === 0) return;
    const restore = this.coordinator?.latestCompleted() ?? null;
    this.#deployWhenSlots(pending.tasks, restore, false, [pending.record]);
  }

  #onSlotTimeout(event: JobManagerEvent): void {
    const waiting = this.#waiting;
    if (this.ended || waiting === null || event.restart !== waiting.id) return;
    const needed = Math.max(...this.tasks.map((t) => t.vertex.parallelism));
    const have = this.#cluster?.slots.length ?? 0;
    const cause =
      `NoResourceAvailableException: could not acquire the minimum required resources: the job needs ${needed} slots, ` +
      `the cluster offers ${have} (taskManagers x slotsPerTaskManager)`;
    const ids = waiting.tasks;
    this.#waiting = null;
    if (waiting.first) return this.#failJobForGood(cause, null);
    // A restart that found no slots is one more failure for the restart strategy.
    const strategy = this.#restartStrategy;
    strategy.notifyFailure(this.kernel.clock.nowMs);
    if (!strategy.canRestart()) return this.#failJobForGood(cause, strategy);
    this.#scheduleRestart(ids, cause, strategy.getBackoffTime());
  }

  #failJobForGood(cause: string, strategy: RestartBackoffTimeStrategy | null): void {
    const full = strategy === null ? cause : `${cause} (recovery is suppressed by ${strategy.describe()})`;
    this.failureCause = full;
    this.#pendingRestarts.length = 0;
    this.#setJobStatus('FAILING', full);
    this.coordinator?.stopScheduler();
    this.coordinator?.abortPending('FAILED', 'JOB_FAILED', full);
    this.#cancel(this.#order.filter((id) => {
      const t = this.#current.get(id)!;
      return t.active || t.lifecycle.kind === 'lost' || t.lifecycle.kind === 'created';
    }));
    this.#setJobStatus('FAILED', full);
  }

  /** Fails the whole job at once, bypassing the restart strategy (an unrecoverable error). */
  failJobNow(cause: string): void {
    if (!this.ended) this.#failJobForGood(cause, null);
  }

  #setJobStatus(status: JobStatus, cause: string | null): void {
    this.status = status;
    this.trace.emit({ tag: 'job.status', timeMs: this.kernel.clock.nowMs, job: this.#jobId, status, cause });
  }

  #setTaskStatus(task: StreamTask, next: TaskLifecycle, status: ExecutionState, cause: string | null): void {
    if (task.lifecycle.kind !== next.kind) task.moveTo(next);
    const at = { tag: 'task.status', timeMs: this.kernel.clock.nowMs, task: task.id, attempt: task.attempt, status, cause } as const;
    // Where an attempt runs is part of the run: losing a TaskManager loses exactly the attempts in its slots.
    this.trace.emit(status === 'DEPLOYING' && task.slot !== null ? { ...at, slot: task.slot.id } : at);
  }
}

/** What one subtask of `vertex` gets from a completed checkpoint: every old subtask's snapshot of each of its operators. */
function restoreFor(vertex: JobVertex, index: number, checkpoint: CompletedCheckpoint): TaskRestore {
  const old = [...checkpoint.tasks.values()].filter((s) => s.vertex === vertex.id);
  const operators = new Map<string, OperatorSnapshot[]>();
  for (const node of vertex.operators) operators.set(node.id, old.flatMap((s) => s.operators.filter((o) => o.operator === node.id)));
  // Channel state goes back to the same subtask (unaligned checkpoints are restored at the parallelism they were taken with).
  const own = old.filter((s) => s.subtaskIndex === index && old.length === vertex.parallelism);
  const channelState = own.flatMap((s) => s.channelState.flatMap((c) => c.records));
  const channelStateChannels = own.flatMap((s) => s.channelState.flatMap((c) => c.records.map(() => c.input)));
  return { operators, finished: old.length > 0 && old.every((s) => s.finished), channelState, channelStateChannels };
}

// Module functions, not closures made per checkpoint (under tsx's keepNames each named closure costs a defineProperty).

/** A subtask whose TaskManager died unnoticed still looks RUNNING to the JobManager: it is asked, and never answers. */
function looksRunning(t: StreamTask): boolean {
  return t.active || t.lifecycle.kind === 'lost';
}

function taskRefOf(t: StreamTask): TaskRef {
  return { task: t.id, attempt: t.attempt };
}
