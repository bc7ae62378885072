/**
 * The JobManager: it takes a JobGraph from the Client, asks the cluster for slots, deploys
 * one task per subtask, wires the channels between them, and follows every task's state
 * to the job's end: FINISHED when all tasks finish, FAILED when a task fails (restart
 * strategies, which may turn a failure into a restart, arrive with checkpointing).
 * It is also the tasks' host: scheduling their mailbox steps and moving their buffers
 * through the network.
 */
import type { JobGraph } from '../graph/index.ts';
import { assert, type Kernel, type KernelEvent } from '../kernel/index.ts';
import type { SinkRegistry } from '../operators/index.ts';
import type { ExecutionState, JobStatus, TraceLog } from '../trace/index.ts';
import { Channel } from './channel.ts';
import { Cluster, type ClusterConfig } from './cluster.ts';
import { RecordWriterOutput } from './outputs.ts';
import { StreamTask, type TaskHost } from './task.ts';

/** Agenda priorities at equal time: deliveries first, then task steps, then the JobManager. */
export const PRIORITY = { deliver: 10, task: 20, jobManager: 30 } as const;

interface TaskRunEvent extends KernelEvent {
  readonly type: 'task.run';
  readonly task: string;
}
interface DeliverEvent extends KernelEvent {
  readonly type: 'channel.deliver';
  readonly channel: number;
}
interface CreditEvent extends KernelEvent {
  readonly type: 'channel.credit';
  readonly channel: number;
}
interface TaskTimerEvent extends KernelEvent {
  readonly type: 'task.timer';
  readonly task: string;
}

/**
 * The consumers one producer subtask is connected to. All-to-all for rebalance, hash and
 * broadcast; one-to-one for forward; for rescale, Flink's pointwise pattern
 * (EdgeManagerBuildUtil.connectPointwise): fanning out, producer i feeds consumers
 * [ceil(i·n/p), ceil((i+1)·n/p)); fanning in, consumer j reads producers
 * [floor(j·p/n), floor((j+1)·p/n)). Records stay local to a group of subtasks.
 */
function targetsOf(type: string, index: number, producers: number, consumers: readonly StreamTask[]): StreamTask[] {
  if (type === 'forward') return [consumers[index]!];
  if (type !== 'rescale') return [...consumers];
  const n = consumers.length;
  if (n >= producers) {
    const start = Math.floor((index * n + producers - 1) / producers);
    const end = Math.floor(((index + 1) * n + producers - 1) / producers);
    return consumers.slice(start, end);
  }
  return consumers.filter((_, j) => Math.floor((j * producers) / n) <= index && index < Math.floor(((j + 1) * producers) / n));
}

export class JobManager implements TaskHost {
  status: JobStatus = 'CREATED';
  failureCause: string | null = null;
  readonly tasks: StreamTask[] = [];
  readonly channels: Channel[] = [];
  readonly #tasksById = new Map<string, StreamTask>();
  #running = 0;
  #jobId = '';
  #cluster: Cluster | null = null;

  constructor(
    readonly kernel: Kernel,
    readonly trace: TraceLog,
    readonly sinks: SinkRegistry,
    private readonly clusterConfig: ClusterConfig,
  ) {
    kernel.on('task.run', (e) => this.#onTaskRun(e as TaskRunEvent));
    kernel.on('channel.deliver', (e) => this.#onDeliver(e as DeliverEvent));
    kernel.on('jobmanager.slot-timeout', () => this.#onSlotTimeout());
    kernel.on('channel.credit', (e) => this.#onCredit(e as CreditEvent));
    kernel.on('task.timer', (e) => this.#tasksById.get((e as TaskTimerEvent).task)?.fireProcessingTime());
  }

  /** Whether the job reached a terminal state. */
  get ended(): boolean {
    return this.status === 'FINISHED' || this.status === 'FAILED' || this.status === 'CANCELED';
  }

  get cluster(): Cluster | null {
    return this.#cluster;
  }

  task(id: string): StreamTask | undefined {
    return this.#tasksById.get(id);
  }

  /** Called by the Client at submission. */
  submit(jobGraph: JobGraph, jobId: string): void {
    this.#jobId = jobId;
    this.#setJobStatus('CREATED', null);
    for (const vertex of jobGraph.vertices) {
      for (let i = 0; i < vertex.parallelism; i++) {
        const task = new StreamTask(vertex, i, this);
        this.tasks.push(task);
        this.#tasksById.set(task.id, task);
      }
    }
    const slotsNeeded = Math.max(...jobGraph.vertices.map((v) => v.parallelism));
    const cluster = new Cluster(this.clusterConfig, slotsNeeded);
    this.#cluster = cluster;
    this.#setJobStatus('RUNNING', null);
    for (const task of this.tasks) this.#setTaskStatus(task, 'SCHEDULED', null);
    if (cluster.slots.length < slotsNeeded) {
      // Like Flink, wait for resources that may still register; give up after the timeout.
      this.kernel.scheduleAfter(this.clusterConfig.slotRequestTimeoutMs, PRIORITY.jobManager, { type: 'jobmanager.slot-timeout' });
      return;
    }
    this.#deploy(jobGraph);
  }

  #deploy(jobGraph: JobGraph): void {
    const writers = new Map<StreamTask, Map<string, RecordWriterOutput[]>>();
    for (const task of this.tasks) writers.set(task, new Map());
    const byVertex = (id: string) => this.tasks.filter((t) => t.vertex.id === id);
    for (const edge of jobGraph.edges) {
      const producers = byVertex(edge.source);
      const consumers = byVertex(edge.target);
      const targetVertex = consumers[0]!.vertex;
      for (const producer of producers) {
        const targets = targetsOf(edge.partitioner.type, producer.index, producers.length, consumers);
        const channels = targets.map((consumer) => {
          const channel = new Channel(
            this.channels.length,
            producer.id,
            consumer.id,
            consumer.inputCount,
            this.clusterConfig.networkLatencyMs,
            this.clusterConfig.buffersPerChannel,
            this.clusterConfig.bufferSize,
          );
          this.channels.push(channel);
          consumer.addInput(channel);
          producer.outputChannels.push(channel);
          return channel;
        });
        const random = this.kernel.random.stream(`partitioner/${producer.id}->${edge.target}`);
        const writer = new RecordWriterOutput(edge.partitioner, channels, targetVertex.maxParallelism, random, (channel) => this.#onBufferFull(producer, channel));
        const perOperator = writers.get(producer)!;
        perOperator.set(edge.fromOperator, [...(perOperator.get(edge.fromOperator) ?? []), writer]);
      }
    }
    for (const task of this.tasks) {
      this.#setTaskStatus(task, 'DEPLOYING', null);
      task.deploy(writers.get(task)!);
      this.#setTaskStatus(task, 'INITIALIZING', null);
    }
    for (const task of this.tasks) {
      this.#setTaskStatus(task, 'RUNNING', null);
      this.#running++;
      if (task.vertex.isSource) this.scheduleRun(task);
    }
  }

  scheduleRun(task: StreamTask, atMs?: number): void {
    if (task.runScheduled) return;
    task.runScheduled = true;
    const event: TaskRunEvent = { type: 'task.run', task: task.id };
    const now = this.kernel.clock.nowMs;
    this.kernel.schedule(Math.max(atMs ?? now, task.busyUntilMs, now), PRIORITY.task, event);
  }

  scheduleTimer(task: StreamTask, atMs: number): void {
    const event: TaskTimerEvent = { type: 'task.timer', task: task.id };
    this.kernel.schedule(Math.max(atMs, this.kernel.clock.nowMs), PRIORITY.task, event);
  }

  flush(task: StreamTask): void {
    for (const channel of task.outputChannels) {
      while (channel.pending.length > 0 && channel.credits > 0) this.#send(channel);
    }
  }

  returnCredit(channel: Channel): void {
    const event: CreditEvent = { type: 'channel.credit', channel: channel.id };
    this.kernel.scheduleAfter(channel.latencyMs, PRIORITY.deliver, event);
  }

  #send(channel: Channel): void {
    channel.inFlight.push(channel.take());
    const event: DeliverEvent = { type: 'channel.deliver', channel: channel.id };
    // A buffer sent while the producer is busy leaves when its processing is done.
    const producer = this.#tasksById.get(channel.from)!;
    const at = Math.max(this.kernel.clock.nowMs, producer.busyUntilMs) + channel.latencyMs;
    this.kernel.schedule(at, PRIORITY.deliver, event);
  }

  #onBufferFull(producer: StreamTask, channel: Channel): void {
    if (channel.credits > 0) this.#send(channel);
    else producer.blockOnOutput();
  }

  #onCredit(event: CreditEvent): void {
    const channel = this.channels[event.channel]!;
    channel.grant();
    while (channel.pending.length > 0 && channel.credits > 0) this.#send(channel);
    this.#tasksById.get(channel.from)!.unblock();
  }

  taskFinished(task: StreamTask): void {
    this.#setTaskStatus(task, 'FINISHED', null);
    this.#running--;
    if (this.#running === 0 && this.status === 'RUNNING') this.#setJobStatus('FINISHED', null);
  }

  taskFailed(task: StreamTask, cause: string): void {
    this.#setTaskStatus(task, 'FAILED', cause);
    this.#running--;
    this.failJob(`${task.id} failed: ${cause}`);
  }

  /** Fails the job and cancels every task still running (no restart strategy yet). */
  failJob(cause: string): void {
    if (this.ended) return;
    this.failureCause = cause;
    this.#setJobStatus('FAILING', cause);
    for (const task of this.tasks) {
      if (task.status === 'RUNNING' || task.status === 'SCHEDULED' || task.status === 'DEPLOYING' || task.status === 'INITIALIZING') {
        this.#setTaskStatus(task, 'CANCELING', null);
        this.#setTaskStatus(task, 'CANCELED', null);
      }
    }
    this.#running = 0;
    this.#setJobStatus('FAILED', cause);
  }

  #onTaskRun(event: TaskRunEvent): void {
    const task = this.#tasksById.get(event.task);
    assert(task !== undefined, () => `task.run for unknown task ${event.task}`);
    task.runScheduled = false;
    task.run();
  }

  #onDeliver(event: DeliverEvent): void {
    const channel = this.channels[event.channel];
    assert(channel !== undefined, () => `delivery on unknown channel ${event.channel}`);
    const buffer = channel.inFlight.shift();
    assert(buffer !== undefined, () => `delivery on channel ${event.channel} with nothing in flight`);
    const consumer = this.#tasksById.get(channel.to)!;
    if (consumer.status === 'RUNNING') consumer.receive(channel, buffer);
  }

  #onSlotTimeout(): void {
    if (this.ended) return;
    const needed = Math.max(...this.tasks.map((t) => t.vertex.parallelism));
    const have = this.#cluster?.slots.length ?? 0;
    this.failJob(
      `NoResourceAvailableException: could not acquire the minimum required resources: the job needs ${needed} slots, ` +
        `the cluster offers ${have} (taskManagers x slotsPerTaskManager)`,
    );
  }

  #setJobStatus(status: JobStatus, cause: string | null): void {
    this.status = status;
    this.trace.emit({ tag: 'job.status', timeMs: this.kernel.clock.nowMs, job: this.#jobId, status, cause });
  }

  #setTaskStatus(task: StreamTask, status: ExecutionState, cause: string | null): void {
    task.status = status;
    this.trace.emit({ tag: 'task.status', timeMs: this.kernel.clock.nowMs, task: task.id, status, cause });
  }
}
