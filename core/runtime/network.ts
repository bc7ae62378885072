/**
 * The network between TaskManagers: Flink's result partitions and input channels, with
 * credit-based flow control. It builds the channels of a deployment from the JobGraph's
 * edges (forward, all-to-all, or Flink's pointwise pattern for rescale), moves buffers and
 * credits with the network latency (plus any `network-delay` fault in force), and drops
 * whatever is addressed to a channel that has been torn down by a failover: a buffer or a
 * credit from before a restart never reaches a new attempt.
 */
import type { JobEdge, JobVertex } from '../graph/index.ts';
import { assert, type Kernel, type KernelEvent } from '../kernel/index.ts';
import { Channel } from './channel.ts';
import { CheckpointBarrier } from './elements.ts';
import { OutputFlusher } from './output-flusher.ts';
import { RecordWriterOutput } from './outputs.ts';
import type { StreamTask } from './task.ts';

/**
 * Agenda priorities at equal time: deliveries first, then output flushes (so that a flush
 * at t sends what was written before t, whatever was scheduled when), then task steps,
 * then the JobManager.
 */
export const PRIORITY = { deliver: 10, flush: 15, task: 20, jobManager: 30 } as const;

/** Flush ticks of one instant are ordered among themselves within [flush, flush + 1). */
const FLUSH_ORDER_SLOTS = 1 << 20;

interface ChannelEvent extends KernelEvent {
  readonly type: 'channel.deliver' | 'channel.credit' | 'channel.priority';
  readonly channel: number;
  /** For a priority event: the barrier's fields (agenda events are plain data). */
  readonly barrier?: { readonly id: number; readonly timestamp: number; readonly savepoint: boolean };
}

export interface NetworkConfig {
  readonly networkLatencyMs: number;
  readonly buffersPerChannel: number;
  readonly bufferSize: number;
}

interface FlushEvent extends KernelEvent {
  readonly type: 'network.output-flush';
  readonly task: string;
  readonly attempt: number;
  /** The flusher's period: it flushes the producer's channels of this buffer timeout. */
  readonly timeoutMs: number;
}

/** Extra latency on the channels from one vertex to another, for a while (a `network-delay` fault). */
interface Delay {
  readonly from: string;
  readonly to: string;
  readonly extraMs: number;
  readonly untilMs: number;
}

/**
 * The consumers one producer subtask is connected to. All-to-all for rebalance, hash and
 * broadcast; one-to-one for forward; for rescale, Flink's pointwise pattern
 * (EdgeManagerBuildUtil.connectPointwise): fanning out, producer i feeds consumers
 * [ceil(i·n/p), ceil((i+1)·n/p)); fanning in, consumer j reads producers
 * [floor(j·p/n), floor((j+1)·p/n)). Records stay local to a group of subtasks.
 */
export function targetIndexes(type: string, index: number, producers: number, consumers: number): number[] {
  if (type === 'forward') return [index];
  const all = Array.from({ length: consumers }, (_, j) => j);
  if (type !== 'rescale') return all;
  const n = consumers;
  if (n >= producers) {
    const start = Math.floor((index * n + producers - 1) / producers);
    const end = Math.floor(((index + 1) * n + producers - 1) / producers);
    return all.slice(start, end);
  }
  return all.filter((j) => Math.floor((j * producers) / n) <= index && index < Math.floor(((j + 1) * producers) / n));
}

export class Network {
  readonly #channels = new Map<number, Channel>();
  readonly #producer = new Map<number, StreamTask>();
  readonly #consumer = new Map<number, StreamTask>();
  #nextId = 0;
  #delays: Delay[] = [];
  /** The output flushers of producers with buffer timeouts above 0, by subtask and timeout (Flink runs one per RecordWriter). */
  readonly #flushing = new Map<string, { readonly producer: StreamTask; readonly flusher: OutputFlusher }>();
  #flushersMade = 0;
  /** Buffers, credits and priority events that arrived for a torn-down channel and were dropped. */
  readonly dropped = { buffers: 0, credits: 0, priority: 0 };

  constructor(
    private readonly kernel: Kernel,
    private readonly config: NetworkConfig,
  ) {
    kernel.on('channel.deliver', (e) => this.#onDeliver(e as ChannelEvent));
    kernel.on('channel.credit', (e) => this.#onCredit(e as ChannelEvent));
    kernel.on('channel.priority', (e) => this.#onPriority(e as ChannelEvent));
    kernel.on('network.output-flush', (e) => this.#onOutputFlush(e as FlushEvent));
  }

  /** Channels alive now (for inspection). */
  get channels(): Channel[] {
    return [...this.#channels.values()].filter((c) => c.alive);
  }

  /**
   * Connects the given tasks along the JobGraph's edges (both ends must be among them) and
   * returns each task's record writers, per operator at the start of an edge.
   */
  connect(edges: readonly JobEdge[], tasks: ReadonlyMap<string, StreamTask>, vertexById: ReadonlyMap<string, JobVertex>): Map<StreamTask, Map<string, RecordWriterOutput[]>> {
    const writers = new Map<StreamTask, Map<string, RecordWriterOutput[]>>();
    for (const task of tasks.values()) writers.set(task, new Map());
    for (const edge of edges) {
      const source = vertexById.get(edge.source)!;
      const target = vertexById.get(edge.target)!;
      for (let i = 0; i < source.parallelism; i++) {
        const producer = tasks.get(`${source.id}#${i}`);
        if (producer === undefined) continue;
        const channels = targetIndexes(edge.partitioner.type, i, source.parallelism, target.parallelism).map((j) => {
          const consumer = tasks.get(`${target.id}#${j}`);
          assert(consumer !== undefined, () => `${producer.id} is redeployed without its consumer ${target.id}#${j}: a failover region must hold both ends of every channel`);
          const channel = new Channel(this.#nextId++, producer.id, consumer.id, consumer.inputCount, this.config.networkLatencyMs, this.config.buffersPerChannel, this.config.bufferSize, edge.logicalInput ?? 1, edge.bufferTimeoutMs ?? null);
          if (edge.bufferTimeoutMs !== undefined && edge.bufferTimeoutMs > 0) channel.flusher = this.#outputFlusher(producer, edge.bufferTimeoutMs);
          this.#channels.set(channel.id, channel);
          this.#producer.set(channel.id, producer);
          this.#consumer.set(channel.id, consumer);
          consumer.addInput(channel);
          producer.outputChannels.push(channel);
          return channel;
        });
        const random = this.kernel.random.stream(`partitioner/${producer.id}->${edge.target}@${producer.attempt}`);
        const writer = new RecordWriterOutput(
          edge.partitioner,
          channels,
          target.maxParallelism,
          random,
          (channel) => this.#onBufferFull(producer, channel),
          (channel, event) => this.#sendPriority(channel, event as CheckpointBarrier),
        );
        const perOperator = writers.get(producer)!;
        perOperator.set(edge.fromOperator, [...(perOperator.get(edge.fromOperator) ?? []), writer]);
      }
    }
    return writers;
  }

  /** The producer attempt's output flusher for `timeoutMs` (see output-flusher.ts), made at its deployment. */
  #outputFlusher(producer: StreamTask, timeoutMs: number): OutputFlusher {
    const key = `${producer.id}/${timeoutMs}`;
    const have = this.#flushing.get(key);
    if (have !== undefined && have.producer === producer) return have.flusher;
    const event: FlushEvent = { type: 'network.output-flush', task: producer.id, attempt: producer.attempt, timeoutMs };
    // Flushes of one instant go in the order their flushers were made (deployment order), not in the order their ticks were put on the agenda.
    const priority = PRIORITY.flush + Math.min(this.#flushersMade++, FLUSH_ORDER_SLOTS - 1) / FLUSH_ORDER_SLOTS;
    const flusher = new OutputFlusher(this.kernel, timeoutMs, this.kernel.clock.nowMs, (atMs) => this.kernel.schedule(atMs, priority, event));
    this.#flushing.set(key, { producer, flusher });
    return flusher;
  }

  #onOutputFlush(event: FlushEvent): void {
    const key = `${event.task}/${event.timeoutMs}`;
    const entry = this.#flushing.get(key);
    if (entry === undefined || entry.producer.attempt !== event.attempt) return;
    if (!entry.producer.active) {
      this.#flushing.delete(key);
      return;
    }
    entry.flusher.ticked(this.#flushOutputs(entry.producer, event.timeoutMs));
  }

  /**
   * Flushes `task`'s output buffers of buffer timeout `timeoutMs`: they may leave though not
   * full (Flink's flushAll). True when some stay, waiting for credit.
   */
  #flushOutputs(task: StreamTask, timeoutMs: number): boolean {
    let left = false;
    for (const channel of task.outputChannels) {
      if (!channel.alive || channel.pending.length === 0 || channel.bufferTimeoutMs !== timeoutMs) continue;
      channel.flushRequested = true;
      while (channel.sendable && channel.credits > 0) this.#send(channel);
      if (channel.pending.length > 0) left = true;
    }
    return left;
  }

  /** Tears down every channel that touches one of `tasks`: what is in flight there is lost. */
  release(tasks: ReadonlySet<StreamTask>): void {
    for (const [id, channel] of this.#channels) {
      if (!tasks.has(this.#producer.get(id)!) && !tasks.has(this.#consumer.get(id)!)) continue;
      channel.alive = false;
      channel.pending = [];
      channel.inFlight.length = 0;
      channel.inFlightSentMs.length = 0;
      channel.inFlightArrivesMs.length = 0;
      channel.priorityInFlight.length = 0;
      this.#channels.delete(id);
      this.#producer.delete(id);
      this.#consumer.delete(id);
    }
    for (const [key, { producer }] of this.#flushing) if (tasks.has(producer)) this.#flushing.delete(key);
  }

  /** A `network-delay` fault: channels from vertex `from` to vertex `to` take `extraMs` longer until `untilMs`. */
  addDelay(from: string, to: string, extraMs: number, untilMs: number): void {
    this.#delays.push({ from, to, extraMs, untilMs });
  }

  /** The end of a step: without a buffer timeout everything pending leaves, credit permitting; with one, full buffers and those an event ended or a flush asked for. */
  flush(task: StreamTask): void {
    for (const channel of task.outputChannels) {
      while (channel.alive && channel.sendable && channel.credits > 0) this.#send(channel);
    }
  }

  returnCredit(channel: Channel): void {
    if (!channel.alive) return;
    const event: ChannelEvent = { type: 'channel.credit', channel: channel.id };
    this.kernel.scheduleAfter(channel.latencyMs + this.#extraLatency(channel), PRIORITY.deliver, event);
  }

  #extraLatency(channel: Channel): number {
    if (this.#delays.length === 0) return 0;
    const now = this.kernel.clock.nowMs;
    // Every buffer and credit asks while a delay is on: copy the list only when one ended.
    if (this.#delays.some((d) => d.untilMs <= now)) this.#delays = this.#delays.filter((d) => d.untilMs > now);
    if (this.#delays.length === 0) return 0;
    let extra = 0;
    const from = channel.from.slice(0, channel.from.lastIndexOf('#'));
    const to = channel.to.slice(0, channel.to.lastIndexOf('#'));
    for (const d of this.#delays) if (d.from === from && d.to === to) extra += d.extraMs;
    return extra;
  }

  #send(channel: Channel): void {
    channel.inFlight.push(channel.take());
    const event: ChannelEvent = { type: 'channel.deliver', channel: channel.id };
    // A buffer sent while the producer is busy leaves when its processing is done.
    const producer = this.#producer.get(channel.id)!;
    const leaves = Math.max(this.kernel.clock.nowMs, producer.busyUntilMs);
    const at = leaves + channel.latencyMs + this.#extraLatency(channel);
    channel.lastArrivalMs = Math.max(at, channel.lastArrivalMs);
    channel.inFlightSentMs.push(leaves);
    channel.inFlightArrivesMs.push(channel.lastArrivalMs);
    this.kernel.schedule(channel.lastArrivalMs, PRIORITY.deliver, event);
  }

  /** A priority event needs no credit and overtakes the channel's queued and in-flight buffers. */
  #sendPriority(channel: Channel, barrier: CheckpointBarrier): void {
    if (!channel.alive) return;
    const event: ChannelEvent = { type: 'channel.priority', channel: channel.id, barrier: { id: barrier.id, timestamp: barrier.timestamp, savepoint: barrier.savepoint } };
    const at = this.kernel.clock.nowMs + channel.latencyMs + this.#extraLatency(channel);
    // Nothing sent after the barrier may arrive before it.
    channel.lastArrivalMs = Math.max(channel.lastArrivalMs, at);
    channel.priorityInFlight.push({ checkpoint: barrier.id, sentMs: this.kernel.clock.nowMs, arrivesMs: at });
    this.kernel.schedule(at, PRIORITY.deliver, event);
  }

  #onPriority(event: ChannelEvent): void {
    const channel = this.#channels.get(event.channel);
    if (channel === undefined) {
      this.dropped.priority++;
      return;
    }
    const b = event.barrier!;
    const flying = channel.priorityInFlight.findIndex((p) => p.checkpoint === b.id);
    if (flying >= 0) channel.priorityInFlight.splice(flying, 1);
    const consumer = this.#consumer.get(channel.id)!;
    if (consumer.active) consumer.receivePriority(channel.inputIndex, new CheckpointBarrier(b.id, b.timestamp, 'unaligned', b.savepoint));
  }

  #onBufferFull(producer: StreamTask, channel: Channel): void {
    if (!channel.alive) return;
    if (channel.bufferTimeoutMs === null) {
      if (channel.credits > 0) this.#send(channel);
      else producer.blockOnOutput(channel.to);
      return;
    }
    while (channel.sendable && channel.credits > 0) this.#send(channel);
    if (channel.blocked) producer.blockOnOutput(channel.to);
  }

  #onCredit(event: ChannelEvent): void {
    const channel = this.#channels.get(event.channel);
    if (channel === undefined) {
      this.dropped.credits++; // torn down by a failover: the credit is lost with it
      return;
    }
    channel.grant();
    while (channel.sendable && channel.credits > 0) this.#send(channel);
    this.#producer.get(channel.id)!.unblock();
  }

  #onDeliver(event: ChannelEvent): void {
    const channel = this.#channels.get(event.channel);
    if (channel === undefined) {
      this.dropped.buffers++; // torn down by a failover: the buffer is lost with it
      return;
    }
    const buffer = channel.inFlight.shift();
    assert(buffer !== undefined, () => `delivery on channel ${event.channel} with nothing in flight`);
    channel.inFlightSentMs.shift();
    channel.inFlightArrivesMs.shift();
    const consumer = this.#consumer.get(channel.id)!;
    if (consumer.active) consumer.receive(channel.inputIndex, buffer);
  }
}
