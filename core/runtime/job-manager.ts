/**
 * The JobManager (Flink's JobMaster with its scheduler): it takes a JobGraph from the
 * Client, asks the cluster for slots, deploys one execution attempt per subtask, has the
 * network wire the channels between them, and follows every attempt to the job's end.
 *
 * It is the facade of its parts, each in its own file: the ExecutionGraph (the job's and
 * every attempt's status), deployment, waiting for slots, failover (a failed subtask's
 * region, or the whole job, restarted after the restart strategy's backoff),
 * stop-with-savepoint, and the CheckpointCoordinator's gateway to the tasks. Every kernel
 * event a job reacts to is dispatched here.
 *
 * A TaskManager that dies takes the attempts in its slots with it at once, but the
 * JobManager notices only when its heartbeat times out; then those attempts fail and its
 * slots are gone. Until then a deployment onto it fails (see deployment.ts).
 */
import type { CheckpointingSpec, JobGraph, StateBackendKind, StreamNode } from '../graph/index.ts';
import { CHECKPOINTING_DEFAULTS, DEFAULT_FAULT_TOLERANCE } from '../graph/index.ts';
import { MAX_TIME_MS } from '../model/index.ts';
import { assert, type Kernel } from '../kernel/index.ts';
import type { AnyOperator } from '../operators/index.ts';
import type { World } from '../world/index.ts';
import { createRestartStrategy } from '../recovery/index.ts';
import { CheckpointCoordinator, type CompletedCheckpoint, type TaskSnapshot } from '../checkpoint/index.ts';
import type { JobStatus, TraceLog } from '../trace/index.ts';
import type { Channel } from './channel.ts';
import { CheckpointGateway } from './checkpoint-gateway.ts';
import { Cluster, type ClusterConfig } from './cluster.ts';
import { deploymentPlanOf } from './deployment-plan.ts';
import { ExecutionGraph } from './execution-graph.ts';
import { Failover } from './failover.ts';
import type { FaultHooks, TaskCrashPoint } from './fault-hooks.ts';
import type { JobContext } from './job-context.ts';
import type { JobManagerEvent, TaskEvent } from './job-events.ts';
import { Network, PRIORITY } from './network.ts';
import { SlotRequests } from './slot-requests.ts';
import { StopWithSavepoint } from './stop-with-savepoint.ts';
import type { StreamTask, TaskHost, TaskMetrics } from './task.ts';

export class JobManager implements TaskHost {
  readonly network: Network;
  readonly coordinator: CheckpointCoordinator | null = null;
  readonly checkpointing: CheckpointingSpec | null;
  readonly periodicCheckpointing: boolean;
  readonly stateBackend: StateBackendKind;
  readonly failoverStrategy: 'region' | 'full';
  readonly #graph: ExecutionGraph;
  #cluster: Cluster | null = null;
  readonly #slots: SlotRequests;
  readonly #failover: Failover;
  readonly #stop: StopWithSavepoint;
  readonly #gateway: CheckpointGateway;
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
    const strategy = createRestartStrategy(ft.restartStrategy, ft.checkpointing !== null, kernel.random.stream('restart-strategy'));
    this.network = new Network(kernel, clusterConfig);
    this.failoverStrategy = ft.failoverStrategy;
    this.#graph = new ExecutionGraph(kernel, trace);
    // The coordinator and its gateway know each other: the context gets the coordinator once both are made.
    const ctx: { -readonly [K in keyof JobContext]: JobContext[K] } = {
      kernel,
      trace,
      clusterConfig,
      graph: this.#graph,
      network: this.network,
      coordinator: null,
      failoverStrategy: this.failoverStrategy,
      cluster: () => this.#cluster!,
      host: this,
    };
    this.#slots = new SlotRequests(ctx);
    this.#failover = new Failover(ctx, this.#slots, strategy);
    this.#stop = new StopWithSavepoint(ctx, this.#failover);
    this.#gateway = new CheckpointGateway(ctx, this.checkpointing, this.#failover, this.#stop);
    if (this.checkpointing !== null) this.coordinator = new CheckpointCoordinator(kernel, trace, this.checkpointing, ft.stateBackend, this.#gateway, this.periodicCheckpointing);
    ctx.coordinator = this.coordinator;
    kernel.on('task.run', (e) => {
      const task = this.#live(e as TaskEvent);
      if (task === null) return;
      task.runScheduled = false;
      task.run();
    });
    kernel.on('task.timer', (e) => this.#live(e as TaskEvent)?.fireProcessingTime());
    kernel.on('task.trigger-checkpoint', (e) => {
      const task = this.#live(e as TaskEvent);
      if (task !== null) this.#gateway.triggerAt(task, e as TaskEvent);
    });
    kernel.on('task.notify-checkpoint', (e) => {
      const task = this.#live(e as TaskEvent);
      if (task !== null) this.#gateway.notifyAt(task, e as TaskEvent);
    });
    kernel.on('task.alignment-timeout', (e) => this.#live(e as TaskEvent)?.onAlignmentTimeout((e as TaskEvent).checkpoint!));
    kernel.on('jobmanager.failure', (e) => this.#onFailure(e as JobManagerEvent));
    kernel.on('jobmanager.restart', (e) => this.#failover.onRestart((e as JobManagerEvent).restart!));
    kernel.on('jobmanager.slot-timeout', (e) => this.#onSlotTimeout(e as JobManagerEvent));
    kernel.on('jobmanager.heartbeat-timeout', (e) => this.#onHeartbeatTimeout(e as JobManagerEvent));
    kernel.on('jobmanager.taskmanager-registered', () => this.#onTaskManagerRegistered());
    kernel.on('jobmanager.checkpoint-message', (e) => this.#gateway.deliver(e as JobManagerEvent));
  }

  get status(): JobStatus {
    return this.#graph.status;
  }

  get failureCause(): string | null {
    return this.#graph.failureCause;
  }

  /** Whether the job reached a terminal state. */
  get ended(): boolean {
    return this.#graph.ended;
  }

  get cluster(): Cluster | null {
    return this.#cluster;
  }

  get jobGraph(): JobGraph {
    return this.#graph.jobGraph;
  }

  /** The current attempt of every subtask, in deployment order. */
  get tasks(): StreamTask[] {
    return this.#graph.tasks;
  }

  get channels(): Channel[] {
    return this.network.channels;
  }

  task(id: string): StreamTask | undefined {
    return this.#graph.task(id);
  }

  /** Counters of a subtask over all its attempts. */
  metricsOf(id: string): TaskMetrics {
    return this.#graph.metricsOf(id);
  }

  /** Records read by every source subtask this run has had (also those of a job before a rescale). */
  get sourceRecordsIn(): number {
    return this.#graph.sourceRecordsIn;
  }

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
    const graph = this.#graph;
    graph.start(jobGraph, jobId, previous, this);
    const plan = deploymentPlanOf(jobGraph);
    this.#failover.start(this.failoverStrategy === 'full' ? [[...graph.ids]] : plan.regions);
    this.#cluster = new Cluster(this.clusterConfig, plan.maxParallelism);
    graph.setJobStatus('RUNNING', null);
    for (const task of graph.tasks) graph.setTaskStatus(task, { kind: 'created' }, 'SCHEDULED', null);
    this.#slots.deployWhenSlots([...graph.ids], restore, true);
  }

  // ---- savepoints ---------------------------------------------------------------------

  /** A `savepoint` action: the job goes on. Returns the savepoint's id. */
  triggerSavepoint(): number {
    assert(this.coordinator !== null, 'a savepoint needs the coordinator: the JobManager was created without savepoints');
    return this.coordinator.triggerSavepoint();
  }

  /** A `stop-with-savepoint` action (see stop-with-savepoint.ts). Returns the savepoint's id. */
  stopWithSavepoint(): number {
    return this.#stop.stop();
  }

  /** The savepoint the job was stopped with, which a `resume` starts from; null when it was not stopped that way. */
  get stoppedWith(): number | null {
    return this.#stop.stoppedWith;
  }

  /** Whether a stop-with-savepoint is under way (its savepoint pending). */
  get stopping(): boolean {
    return this.#stop.stopping;
  }

  /**
   * A `resume` action: the job is submitted again (a new job, as `flink run -s`) from the
   * latest savepoint, with the JobGraph built for its new parallelism. Keyed state is
   * redistributed by key group, operator state (a source's offsets) is handed out again.
   */
  resume(jobGraph: JobGraph, jobId: string): void {
    const savepoint = this.coordinator?.latestSavepoint() ?? null;
    assert(this.ended && savepoint !== null && savepoint.id === this.#stop.stoppedWith, 'resume needs a job stopped with a savepoint');
    this.#stop.stoppedWith = null;
    this.coordinator!.restoredFrom(savepoint);
    const previous = this.#graph.clear();
    this.#slots.clear();
    this.#failover.reset(createRestartStrategy((jobGraph.config.faultTolerance ?? DEFAULT_FAULT_TOLERANCE).restartStrategy, this.periodicCheckpointing, this.kernel.random.stream(`restart-strategy/${jobId}`)));
    this.#start(jobGraph, jobId, previous, savepoint);
  }

  // ---- failures -----------------------------------------------------------------------

  /** Kills the current attempt of subtask `id` (a `kill-task` fault): it fails at once. */
  killTask(id: string, cause: string): boolean {
    const task = this.#graph.task(id);
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

  /** Fails the whole job at once, bypassing the restart strategy (an unrecoverable error). */
  failJobNow(cause: string): void {
    this.#failover.failNow(cause);
  }

  #onHeartbeatTimeout(event: JobManagerEvent): void {
    const tmId = event.taskManager!;
    this.#cluster?.unregister(tmId);
    this.trace.emit({ tag: 'taskmanager.status', timeMs: this.kernel.clock.nowMs, taskManager: tmId, status: 'TIMED_OUT' });
    if (this.clusterConfig.replacementDelayMs !== null) {
      this.kernel.scheduleAfter(this.clusterConfig.replacementDelayMs, PRIORITY.jobManager, { type: 'jobmanager.taskmanager-registered' });
    }
    if (this.ended) return;
    const cause = `TaskManager ${tmId} lost: heartbeat timed out after ${this.clusterConfig.heartbeatTimeoutMs} ms`;
    const lost = this.tasks.filter((t) => t.lifecycle.kind === 'lost');
    for (const task of lost) this.#graph.setTaskStatus(task, { kind: 'failed', cause }, 'FAILED', cause);
    if (lost.length > 0) this.#failover.handleFailure(lost[0]!, cause, false, lost);
  }

  #onTaskManagerRegistered(): void {
    const id = this.#cluster!.addTaskManager();
    this.trace.emit({ tag: 'taskmanager.status', timeMs: this.kernel.clock.nowMs, taskManager: id, status: 'REGISTERED' });
    this.#slots.retry();
  }

  #onFailure(event: JobManagerEvent): void {
    const task = this.#graph.task(event.task!);
    if (task === undefined || task.attempt !== event.attempt) return;
    // Already being restarted (its region failed over a moment ago): as Flink's processFail of a canceling execution, not a new failure.
    if (this.#failover.isRestarting(task.id)) return;
    this.#failover.handleFailure(task, event.cause!, false);
  }

  #onSlotTimeout(event: JobManagerEvent): void {
    const timeout = this.#slots.timedOut(event.restart!);
    if (timeout !== null) this.#failover.onNoSlots(timeout);
  }

  // ---- TaskHost ---------------------------------------------------------------------

  /** Task events (steps, timers, checkpoint triggers and notifications) dropped because their attempt was gone. */
  droppedTaskEvents = 0;

  /** The attempt an event is for, if it is still the current one and its TaskManager lives. */
  #live(event: TaskEvent): StreamTask | null {
    const task = this.#graph.task(event.task);
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
    const graph = this.#graph;
    graph.setTaskStatus(task, { kind: 'finished' }, 'FINISHED', null);
    task.stop();
    this.coordinator?.taskFinished({ task: task.id, attempt: task.attempt }, task.lastSnapshot);
    if (graph.status === 'RUNNING' && graph.tasks.every((t) => t.lifecycle.kind === 'finished')) {
      this.coordinator?.stopScheduler();
      this.coordinator?.abortPending('ABORTED', 'JOB_ENDED', 'the job finished');
      graph.setJobStatus('FINISHED', null);
    }
  }

  /** The attempt failed (user code threw, a fault killed it): it stops now, and the JobManager hears of it. */
  taskFailed(task: StreamTask, cause: string, injected = false): void {
    if (!task.active && task.lifecycle.kind !== 'lost' && task.lifecycle.kind !== 'initializing') return;
    this.#graph.setTaskStatus(task, { kind: 'failed', cause }, 'FAILED', cause);
    task.stop();
    // A fault's own name is the clearest cause ("kill-task window#0"); otherwise say which subtask failed.
    const jobCause = injected ? cause : `${task.id} failed: ${cause}`;
    const event: JobManagerEvent = { type: 'jobmanager.failure', task: task.id, attempt: task.attempt, cause: jobCause };
    // An acknowledgement sent before the failure arrives first.
    this.kernel.schedule(this.#gateway.notBefore(task), PRIORITY.jobManager, event);
  }

  acknowledgeCheckpoint(task: StreamTask, snapshot: TaskSnapshot, checkpointId: number, alignmentMs: number): void {
    this.#gateway.acknowledge(task, snapshot, checkpointId, alignmentMs);
  }

  declineCheckpoint(task: StreamTask, checkpointId: number, reason: string): void {
    this.#gateway.decline(task, checkpointId, reason);
  }
}
