/**
 * The outputs that wire a task together. Inside a chain an output is a direct call into
 * the next operator; at the end of a chain it is a RecordWriter that picks a channel per
 * record with the edge's partitioner. Several outputs fan out through a broadcasting
 * output, and at trace level `full` each operator's output is wrapped once to record what
 * it emits (at other levels there is no wrapper and no cost).
 */
import { cachedKeyGroupOf, subtaskForKeyGroup, type Partitioner } from '../graph/index.ts';
import type { RandomStream } from '../kernel/index.ts';
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { Output, StreamOperator } from '../operators/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { Channel } from './channel.ts';
import { ACTIVE, CheckpointBarrier, END_OF_DATA, END_OF_PARTITION, IDLE, WatermarkElement, type NetworkElement, type NetworkEvent } from './elements.ts';

/** Calls the next operator of the chain. */
export class ChainedOutput implements Output {
  constructor(private readonly next: StreamOperator) {}
  collect(record: StreamRecord): void {
    this.next.processElement(record);
  }
  emitWatermark(watermark: number): void {
    this.next.processWatermark(watermark);
  }
}

/** Sends each element to several outputs (an operator with more than one consumer). */
export class BroadcastingOutput implements Output {
  constructor(private readonly outputs: readonly Output[]) {}
  collect(record: StreamRecord): void {
    for (const o of this.outputs) o.collect(record);
  }
  emitWatermark(watermark: number): void {
    for (const o of this.outputs) o.emitWatermark(watermark);
  }
}

/** Discards everything: the output of a sink. */
export const NO_OUTPUT: Output = { collect() {}, emitWatermark() {} };

/** Records `record.emitted` for one operator, then passes the record on. */
export class TracingOutput implements Output {
  constructor(
    private readonly inner: Output,
    private readonly trace: TraceLog,
    private readonly task: string,
    private readonly attempt: number,
    private readonly operator: string,
    private readonly now: () => number,
  ) {}
  collect(record: StreamRecord): void {
    this.trace.emit({ tag: 'record.emitted', timeMs: this.now(), task: this.task, attempt: this.attempt, operator: this.operator, value: record.value, timestamp: record.timestamp });
    this.inner.collect(record);
  }
  emitWatermark(watermark: number): void {
    this.inner.emitWatermark(watermark);
  }
}

const NO_TABLE = new Int32Array(0);
const subtaskTables = new Map<string, Int32Array>();

/** subtaskForKeyGroup for every key group, shared by the writers of one (max parallelism, parallelism): a read per record instead of a multiply and a division. */
function subtaskTable(maxParallelism: number, parallelism: number): Int32Array {
  const name = `${maxParallelism}/${parallelism}`;
  let table = subtaskTables.get(name);
  if (table === undefined) {
    table = new Int32Array(maxParallelism);
    for (let g = 0; g < maxParallelism; g++) table[g] = subtaskForKeyGroup(maxParallelism, parallelism, g);
    if (subtaskTables.size >= 64) subtaskTables.clear();
    subtaskTables.set(name, table);
  }
  return table;
}

/**
 * Writes a task's output for one JobEdge into its channels, one per consumer subtask,
 * choosing the channel with the edge's partitioner.
 */
export class RecordWriterOutput implements Output {
  #nextChannel: number;
  readonly #keyGroupOf: (key: JsonValue) => number;
  /** For `hash`: the consumer subtask (channel index) of each key group, worked out once per (max parallelism, parallelism). */
  readonly #subtaskOfKeyGroup: Int32Array;
  recordsOut = 0;

  constructor(
    private readonly partitioner: Partitioner,
    /** Channels indexed by consumer subtask; for `forward`, just the one. */
    private readonly channels: readonly Channel[],
    targetMaxParallelism: number,
    random: RandomStream,
    /** Called when a channel's buffer is full: send it, or block the producer. */
    private readonly onFull: (channel: Channel) => void,
    /** Sends a barrier on the channel's priority lane, overtaking its data (it arrives as an unaligned barrier). */
    private readonly onPriority: (channel: Channel, event: NetworkEvent) => void = () => {},
  ) {
    this.#keyGroupOf = cachedKeyGroupOf(targetMaxParallelism);
    this.#subtaskOfKeyGroup = partitioner.type === 'hash' ? subtaskTable(targetMaxParallelism, channels.length) : NO_TABLE;
    // Flink's rebalance starts each sender at a random channel so that senders do not all
    // hit subtask 0 first; here that choice comes from a seeded stream.
    // Flink's rescale starts at its first channel.
    this.#nextChannel = partitioner.type === 'rebalance' ? random.below(channels.length) : 0;
  }

  collect(record: StreamRecord): void {
    this.recordsOut++;
    const channels = this.channels;
    switch (this.partitioner.type) {
      case 'forward':
        this.#write(channels[0]!, record);
        return;
      case 'rebalance':
      case 'rescale': {
        const i = this.#nextChannel;
        this.#nextChannel = i + 1 === channels.length ? 0 : i + 1;
        this.#write(channels[i]!, record);
        return;
      }
      case 'broadcast':
        for (const c of channels) this.#write(c, record);
        return;
      case 'hash': {
        this.#write(channels[this.#subtaskOfKeyGroup[this.#keyGroupOf(this.partitioner.key.select(record))]!]!, record);
        return;
      }
    }
  }

  #write(channel: Channel, element: NetworkElement): void {
    const pending = channel.pending;
    pending.push(element);
    const timeout = channel.bufferTimeoutMs;
    // Weir's default first: the record path of every job without a buffer timeout.
    if (timeout === null) {
      if (pending.length === channel.bufferSize) this.onFull(channel);
      return;
    }
    if (timeout === 0) {
      // Flink's flushAlways: a flush after every element.
      channel.flushRequested = true;
      this.onFull(channel);
      return;
    }
    const open = pending.length - channel.sealed;
    if (open === 1) channel.flusher?.wake();
    if (pending.length === channel.bufferSize || open === channel.bufferSize) this.onFull(channel);
  }

  emitWatermark(watermark: number): void {
    const element = new WatermarkElement(watermark);
    for (const c of this.channels) this.#write(c, element);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const c of this.channels) this.#write(c, idle ? IDLE : ACTIVE);
  }

  /**
   * Sends an event (a checkpoint barrier) on every channel. An event ends the buffer it is
   * in, as in Flink, so a barrier never waits behind a buffer that is not yet full.
   */
  broadcastEvent(event: NetworkEvent): void {
    for (const c of this.channels) {
      c.pending.push(event);
      if (c.bufferTimeoutMs !== null) c.seal();
      if (c.credits > 0) this.onFull(c);
    }
  }

  /**
   * An unaligned barrier: sent ahead of everything queued on each channel, and left as a
   * mark at its place in the data, so the consumer knows which records it overtook.
   */
  broadcastPriority(barrier: NetworkEvent): void {
    for (const c of this.channels) this.onPriority(c, barrier);
    this.broadcastEvent(barrier);
  }

  /**
   * The aligned-checkpoint timeout of checkpoint `checkpointId` passed at this producer
   * (Flink's PipelinedSubpartition.alignedBarrierTimeout): a barrier still in an output
   * buffer, waiting for credit behind records, is sent on the priority lane after all,
   * and stays in the data as the mark of what it overtook (channel state).
   */
  alignedBarrierTimeout(checkpointId: number): void {
    for (const c of this.channels) {
      const barrier = c.pending.find((e) => e instanceof CheckpointBarrier && e.id === checkpointId);
      if (barrier !== undefined) this.onPriority(c, barrier as CheckpointBarrier);
    }
  }

  /** No more records from this producer (Flink's EndOfData); its channels stay open for the final checkpoint's barriers. */
  endOfData(): void {
    for (const c of this.channels) this.#writeEvent(c, END_OF_DATA);
  }

  endOfPartition(): void {
    for (const c of this.channels) this.#writeEvent(c, END_OF_PARTITION);
  }

  /** With a buffer timeout, an event ends the buffer it is written into, which may then leave (Flink's broadcastEvent flushes). */
  #writeEvent(channel: Channel, event: NetworkEvent): void {
    if (channel.bufferTimeoutMs === null) {
      this.#write(channel, event);
      return;
    }
    channel.pending.push(event);
    channel.seal();
    this.onFull(channel);
  }
}
