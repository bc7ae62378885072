/**
 * `DataStream` and `KeyedStream`, with Flink's method names. Each call declares one
 * operator (or, for `keyBy`, `union` and the partitioning calls, a way of connecting
 * operators) and returns the stream it produces. User functions receive the record's value
 * and timestamp; what they throw fails the task, as in Flink.
 *
 * @example
 * stream.map((v) => ({ ...v, doubled: v.n * 2 }), 'double').setParallelism(2).print();
 */
import { isTruthy } from '../../expr/index.ts';
import type { KeySelector, Partitioner } from '../../graph/index.ts';
import type { JsonValue } from '../../model/index.ts';
import {
  CollectSink,
  DedupOperator,
  bloomSizing,
  MAX_BLOOM_BITS,
  type DedupFilterSpec,
  FilterOperator,
  FlatMapOperator,
  guarded,
  MapOperator,
  PrintSink,
  createKeyedProcessOperator,
  ProcessOperator,
  type ProcessFunction,
  type KeyedProcessFunction,
  type RecordFunction,
  type SinkFunction,
  type OperatorFactory,
  type StreamOperator,
  type StateDescriptors,
  createWindowOperator,
  type WindowAggregateSpec,
  type WindowAssignerSpec,
  type WindowOperatorConfig,
  type BroadcastStateDescriptor,
} from '../../operators/index.ts';
import { BroadcastConnectedStream, BroadcastStream, ConnectedStreams, IntervalJoin, type MakeStream } from './connected-streams.ts';
import { CountEvictor, CountTrigger, GlobalWindows, PurgingTrigger, type AggregateFunction, type ProcessWindowFunction } from './windows.ts';
import { AllWindowedStream } from './all-windowed-stream.ts';
import { JoinedStreams } from './joined-streams.ts';
import { operatorFactory, type FilterFunction, type FlatMapFunction, type MapFunction, type SinkFunctionObject } from './rich-functions.ts';
import { WindowedStreamBase, type WindowFunction } from './windowed-stream-base.ts';
import type { Sink } from './sinks.ts';
import { checkedBufferTimeout, type Transformation, type TransformationSink } from './transformation.ts';

type Inputs = Transformation['inputs'];

export class DataStream {
  constructor(
    protected readonly env: TransformationSink,
    /** The edges a consumer of this stream reads (several after a union). */
    readonly inputs: Inputs,
    /** The operator that produced this stream, when there is exactly one. */
    protected readonly transformation: Transformation | null,
    readonly keySelector: KeySelector | null,
  ) {}

  /** One value in, one value out. A MapFunction object may be a CheckpointedFunction (operator state, see docs/state.md). */
  map(fn: RecordFunction<JsonValue> | MapFunction, name = 'Map'): DataStream {
    return this.#operator('map', name, operatorFactory(fn, 'map', name, (f) => new MapOperator(f)));
  }

  /** Keeps records for which `fn` returns a truthy value. */
  filter(fn: RecordFunction<JsonValue | boolean> | FilterFunction, name = 'Filter'): DataStream {
    return this.#operator('filter', name, operatorFactory(fn, 'filter', name, (f) => new FilterOperator((v, t) => isTruthy(f(v, t) as JsonValue))));
  }

  /** One value in, a list of values out. */
  flatMap(fn: RecordFunction<JsonValue[]> | FlatMapFunction, name = 'Flat Map'): DataStream {
    return this.#operator('flatmap', name, operatorFactory(fn, 'flatMap', name, (f) => new FlatMapOperator(f)));
  }

  /**
   * Flink's DataStream.process(ProcessFunction): no key, so no keyed state and no timers;
   * the function sees the watermark and the clock, writes side outputs, and keeps operator
   * state as a CheckpointedFunction.
   * @example lines.process({ processElement(v, ctx, out) { out.collect({ v, watermark: ctx.timerService().currentWatermark() }); } })
   */
  process(fn: ProcessFunction, name = 'Process'): DataStream {
    const t = this.env.add('process', name, { kind: 'operator', create: () => new ProcessOperator(fn as KeyedProcessFunction) }, this.inputs);
    return new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null);
  }

  /** Partitions by key into key groups; the next operator gets keyed state. */
  keyBy(fn: (value: JsonValue) => JsonValue, description = 'keyBy'): KeyedStream {
    const select = guarded<JsonValue>(description, (v) => fn(v));
    const key: KeySelector = { description, select: (record) => select(record.value, record.timestamp) };
    return new KeyedStream(this.env, this.inputs.map((i) => ({ from: i.from, partitioner: { type: 'hash', key } })), null, key);
  }

  /** Merges streams of the same type; the next operator reads them all. */
  union(...others: DataStream[]): DataStream {
    return new DataStream(this.env, [...this.inputs, ...others.flatMap((o) => o.inputs)], null, null);
  }

  rebalance(): DataStream {
    return this.#partition({ type: 'rebalance' });
  }
  rescale(): DataStream {
    return this.#partition({ type: 'rescale' });
  }
  /**
   * Without arguments: sends every record to every subtask of the next operator. With
   * broadcast state descriptors: a BroadcastStream for the broadcast state pattern
   * (`stream.connect(broadcastStream).process(...)`), as Flink's broadcast(MapStateDescriptor...).
   */
  broadcast(): DataStream;
  broadcast(...descriptors: BroadcastStateDescriptor[]): BroadcastStream;
  broadcast(...descriptors: BroadcastStateDescriptor[]): DataStream | BroadcastStream {
    if (descriptors.length === 0) return this.#partition({ type: 'broadcast' });
    return new BroadcastStream(this.inputs.map((i) => ({ from: i.from, partitioner: { type: 'broadcast' } })), descriptors);
  }

  /**
   * Connects this stream with `other` into one two-input operator (Flink's connect): a
   * ConnectedStreams, keyed when both streams are keyed; with a BroadcastStream, a
   * BroadcastConnectedStream.
   */
  connect(other: BroadcastStream): BroadcastConnectedStream<DataStream>;
  connect(other: DataStream): ConnectedStreams<DataStream>;
  connect(other: DataStream | BroadcastStream): ConnectedStreams<DataStream> | BroadcastConnectedStream<DataStream> {
    if (other instanceof BroadcastStream) return new BroadcastConnectedStream(this.env, this, other, this.#made);
    return new ConnectedStreams(this.env, this, other, this.#made);
  }

  /**
   * Flink's window join: `a.join(b).where(k1).equalTo(k2).window(assigner).apply((x, y) => ...)`,
   * every pair of one key's elements of both streams in one window.
   */
  join(other: DataStream): JoinedStreams<DataStream, 'join'> {
    return new JoinedStreams(this.env, this, other, this.#made, 'join');
  }

  /**
   * Flink's coGroup: `a.coGroup(b).where(k1).equalTo(k2).window(assigner).apply((xs, ys) => [...])`,
   * one call per key and window with the elements of each side.
   */
  coGroup(other: DataStream): JoinedStreams<DataStream, 'coGroup'> {
    return new JoinedStreams(this.env, this, other, this.#made, 'coGroup');
  }

  /** The stream a declared two-input operator produces. */
  readonly #made: MakeStream<DataStream> = (t) => new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null);
  forward(): DataStream {
    return this.#partition({ type: 'forward' });
  }

  /**
   * Windows over the whole stream (Flink's windowAll): one window for all records, so it
   * runs at parallelism 1, and setParallelism on its result refuses anything else.
   */
  windowAll(assigner: WindowAssignerSpec): AllWindowedStream<DataStream> {
    return new AllWindowedStream(this.env, this.inputs, assigner, (t) => new NonParallelStream(this.env, [{ from: t.id, partitioner: null }], t, null));
  }

  /**
   * Flink's countWindowAll: windows of `size` elements of the whole stream, every `slide`
   * elements when given (see KeyedStream.countWindow).
   */
  countWindowAll(size: number, slide?: number): AllWindowedStream<DataStream> {
    return countWindowOf(this.windowAll(GlobalWindows.create()), size, slide);
  }

  /** Operator-level parallelism of the operator that produced this stream. */
  setParallelism(parallelism: number): this {
    this.#own('setParallelism').parallelism = parallelism;
    return this;
  }

  /** Names the operator that produced this stream. */
  name(name: string): this {
    this.#own('name').name = name;
    return this;
  }

  /**
   * Flink's setBufferTimeout on an operator: the buffer timeout of the channels out of the
   * operator that produced this stream, in place of the environment's (env.setBufferTimeout).
   */
  setBufferTimeout(timeoutMs: number): this {
    this.#own('setBufferTimeout').bufferTimeoutMs = checkedBufferTimeout(timeoutMs);
    return this;
  }

  /** Writes every record to the report's sink `id` (Flink's print()). */
  print(name = 'Print to Std. Out'): DataStreamSink {
    const t = this.env.add('print', name, { kind: 'operator', create: () => new PrintSink(t.id) }, this.inputs, true);
    return new DataStreamSink(t);
  }

  /**
   * Writes to the outside world through `sink` (Flink's sinkTo): a KafkaSink, a
   * GenericWriteAheadSink or an UpsertSink. The report names the sink by the operator's id.
   */
  sinkTo(sink: Sink, name = 'Sink'): DataStreamSink {
    let factory: OperatorFactory | null = null;
    const t = this.env.add('sink', name, { kind: 'operator', create: () => (factory ??= sink.factory(t.id)).create() as StreamOperator }, this.inputs, true);
    if (sink.kind === 'write-ahead-log') t.needsCheckpointing = "a GenericWriteAheadSink sends a checkpoint's records when the checkpoint completes, so without checkpoints it never sends anything: call env.enableCheckpointing(interval)";
    return new DataStreamSink(t);
  }

  /** Hands every record to `fn` (Flink's addSink with a SinkFunction). */
  addSink(fn: SinkFunction | SinkFunctionObject, name = 'Unnamed'): DataStreamSink {
    const create = operatorFactory(fn, 'invoke', name, (f) => new CollectSink(name, f));
    const t = this.env.add('sink', name, { kind: 'operator', create }, this.inputs, true);
    return new DataStreamSink(t);
  }

  #operator(kind: string, name: string, create: () => StreamOperator): DataStream {
    const t = this.env.add(kind, name, { kind: 'operator', create }, this.inputs);
    // As in Flink, what a map on a keyed stream returns is no longer keyed.
    return new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null);
  }

  #partition(partitioner: Partitioner): DataStream {
    return new DataStream(this.env, this.inputs.map((i) => ({ from: i.from, partitioner })), null, null);
  }

  #own(what: string): Transformation {
    if (this.transformation === null) throw new Error(`${what}() applies to an operator; this stream comes from keyBy, union or a partitioning call`);
    return this.transformation;
  }
}

/** countWindow(size[, slide]) on a windowed stream over the global window, as Flink builds it. */
function countWindowOf<S extends WindowedStreamBase<unknown>>(windowed: S, size: number, slide: number | undefined): S {
  if (slide === undefined) return windowed.trigger(PurgingTrigger.of(CountTrigger.of(size)));
  return windowed.evictor(CountEvictor.of(size)).trigger(CountTrigger.of(slide));
}

/** The output of a non-parallel operator (a windowAll): Flink allows it parallelism 1 only. */
class NonParallelStream extends DataStream {
  override setParallelism(parallelism: number): this {
    if (parallelism !== 1) throw new Error(`the parallelism of a non-parallel operator (windowAll) must be 1, got ${parallelism}`);
    return this;
  }
}

/** A stream partitioned by key: the operators applied to it have keyed state and timers. */
export class KeyedStream extends DataStream {
  /** Groups each key's records into windows. */
  window(assigner: WindowAssignerSpec): WindowedStream {
    return new WindowedStream(this.env, this.inputs, this.keySelector!, assigner);
  }

  /**
   * Flink's countWindow: each key's elements in windows of `size` elements. Tumbling (no
   * `slide`): the global window with a purging count trigger, so each firing holds the
   * last `size` elements alone. Sliding: a count trigger every `slide` elements and a count
   * evictor keeping the last `size`. An incomplete last window is never emitted, as in Flink.
   * @example clicks.keyBy((c) => c.user).countWindow(100).sum('amount')
   */
  countWindow(size: number, slide?: number): WindowedStream {
    return countWindowOf(this.window(GlobalWindows.create()), size, slide);
  }

  /**
   * Drops every record whose key was seen before (Weir's `dedup` operator, not a Flink one):
   * with a Bloom filter sized for `expectedItems` keys at `falsePositiveRate` (fixed memory,
   * some records wrongly dropped), or with an exact set. Keyed by this stream's key, so it is
   * checkpointed, restored and rescaled per key group (docs/dedup.md).
   * @example clicks.keyBy((v) => v.id).dedup({ bloom: { expectedItems: 1_000_000, falsePositiveRate: 0.01 } })
   */
  dedup(how: { bloom: { expectedItems: number; falsePositiveRate: number } } | { exact: true }, name = 'Dedup'): DataStream {
    let filter: DedupFilterSpec;
    if ('bloom' in how) {
      const { expectedItems, falsePositiveRate } = how.bloom;
      if (!Number.isSafeInteger(expectedItems) || expectedItems < 1) throw new RangeError(`dedup: expectedItems must be a whole number >= 1, got ${expectedItems}`);
      if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) throw new RangeError(`dedup: falsePositiveRate must be strictly between 0 and 1, got ${falsePositiveRate}`);
      const bits = bloomSizing(expectedItems, falsePositiveRate).bits;
      if (bits > MAX_BLOOM_BITS) throw new RangeError(`dedup: a Bloom filter for ${expectedItems} keys at ${falsePositiveRate} needs ${bits} bits, more than Weir's limit of ${MAX_BLOOM_BITS}`);
      filter = { mode: 'bloom', expectedItems, falsePositiveRate };
    } else filter = { mode: 'exact' };
    const t = this.env.add('dedup', name, { kind: 'operator', create: () => new DedupOperator(filter) }, this.inputs);
    return new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null);
  }

  /**
   * Flink's interval join: pairs of this stream's and `other`'s elements with equal keys
   * whose timestamps are close enough (`between(lower, upper)`); both streams keyed.
   * @example orders.keyBy((o) => o.id).intervalJoin(payments.keyBy((p) => p.orderId)).between(0, 60_000).process(fn)
   */
  intervalJoin(other: KeyedStream): IntervalJoin<DataStream> {
    return new IntervalJoin(this.env, this, other, (t) => new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null));
  }

  /** Runs a KeyedProcessFunction: per-key state, timers, any number of outputs. */
  override process<S extends StateDescriptors>(fn: KeyedProcessFunction<S>, name = 'KeyedProcess'): DataStream {
    const t = this.env.add('process', name, { kind: 'operator', create: () => createKeyedProcessOperator(fn) }, this.inputs);
    return new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null);
  }
}

/** The end of a pipeline. */
export class DataStreamSink {
  constructor(private readonly transformation: Transformation) {}
  get id(): string {
    return this.transformation.id;
  }
  setParallelism(parallelism: number): this {
    this.transformation.parallelism = parallelism;
    return this;
  }
  name(name: string): this {
    this.transformation.name = name;
    return this;
  }
}

/**
 * A keyed stream grouped into windows: `allowedLateness`, `sideOutputLateData`, `trigger`,
 * `evictor`, then one window function (`aggregate`, `reduce`, `sum`, `min`, `max`, `maxBy`,
 * `minBy`, `process`); what it shares with a windowAll is in windowed-stream-base.ts.
 */
export class WindowedStream extends WindowedStreamBase<DataStream> {
  constructor(
    private readonly env: TransformationSink,
    private readonly inputs: Transformation['inputs'],
    private readonly keySelector: KeySelector,
    assigner: WindowAssignerSpec,
  ) {
    super(assigner);
  }

  /** Incremental aggregation: a scenario-style spec or a Flink AggregateFunction, then `windowFunction` (Flink's ProcessWindowFunction) if given. */
  aggregate(fn: AggregateFunction | WindowAggregateSpec, windowFunction?: WindowFunction): DataStream {
    return this.aggregateWith(fn, windowFunction);
  }

  /** Folds the window's values with `fn` (Flink's ReduceFunction), then `windowFunction` if given. */
  reduce(fn: (a: JsonValue, b: JsonValue) => JsonValue, windowFunction?: WindowFunction): DataStream {
    return this.reduceWith(fn, windowFunction);
  }

  /** Gives `fn` every element of the window when it fires, and the firing's context (Flink's ProcessWindowFunction). */
  process(fn: ProcessWindowFunction): DataStream {
    return this.build({ kind: 'collect', expr: null }, null, (key, window, result, context) => fn(key, window, result as JsonValue[], context));
  }

  protected defaultWindowFunction(): undefined {
    return undefined;
  }

  protected declare(config: WindowOperatorConfig): DataStream {
    const t = this.env.add('window', 'Window', { kind: 'operator', create: () => createWindowOperator(config) }, this.inputs);
    return new DataStream(this.env, [{ from: t.id, partitioner: null }], t, null);
  }
}
