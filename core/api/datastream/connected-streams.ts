/**
 * Two-input streams, with Flink's names: `ConnectedStreams` (from `connect`), its keyed
 * form (`keyBy(key1, key2)`, or connecting two keyed streams), `BroadcastStream` and
 * `BroadcastConnectedStream` (the broadcast state pattern), and the interval join
 * (`keyedStream.intervalJoin(other).between(lower, upper)`).
 *
 * Each declares one two-input operator whose edges are marked input 1 and input 2. These
 * classes do not know DataStream (that would be an import cycle): DataStream hands them a
 * function that wraps the declared operator in the stream it produces.
 *
 * @example
 * rides.keyBy((r) => r.rideId).connect(fares.keyBy((f) => f.rideId)).process(enrich).print();
 */
import type { KeySelector, Partitioner } from '../../graph/index.ts';
import type { JsonValue, StreamRecord } from '../../model/index.ts';
import {
  BroadcastProcessOperator,
  CoProcessOperator,
  CoStreamFlatMap,
  CoStreamMap,
  guarded,
  intervalBoundsProblem,
  IntervalJoinOperator,
  type BroadcastProcessFunction,
  type BroadcastStateDescriptor,
  type CoFlatMapFunction,
  type CoMapFunction,
  type CoProcessFunction,
  type KeyedBroadcastProcessFunction,
  type KeyedCoProcessFunction,
  type KeyFunction,
  type ProcessJoinFunction,
  type StateDescriptors,
  type TwoInputStreamOperator,
} from '../../operators/index.ts';
import type { Transformation, TransformationSink } from './transformation.ts';

type Inputs = Transformation['inputs'];

/** What a two-input call needs of a stream: the edges a consumer reads, and its key (keyed streams). */
export interface StreamLike {
  readonly inputs: Inputs;
  readonly keySelector: KeySelector | null;
}

/** Wraps a declared operator in the stream it produces (DataStream's constructor). */
export type MakeStream<R> = (t: Transformation) => R;

function edgesOf(stream: StreamLike, logicalInput: 1 | 2, partitioner?: Partitioner): Inputs {
  return stream.inputs.map((i) => ({ from: i.from, partitioner: partitioner ?? i.partitioner, logicalInput }));
}

function declare<R>(env: TransformationSink, make: MakeStream<R>, kind: string, name: string, create: () => TwoInputStreamOperator, inputs: Inputs, key: KeySelector | null): R {
  const t = env.add(kind, name, { kind: 'two-input', create }, inputs);
  t.keySelector = key;
  return make(t);
}

function keyFunction(key: KeySelector): KeyFunction {
  return (record: StreamRecord) => key.select(record);
}

/** Two streams connected into one operator (Flink's ConnectedStreams). Keyed when both are. */
export class ConnectedStreams<R> {
  constructor(
    private readonly env: TransformationSink,
    private readonly first: StreamLike,
    private readonly second: StreamLike,
    private readonly make: MakeStream<R>,
  ) {}

  /** Whether both sides are keyed: then process gets keyed state and timers. */
  get isKeyed(): boolean {
    return this.first.keySelector !== null && this.second.keySelector !== null;
  }

  /** Keys both sides (Flink's ConnectedStreams.keyBy(key1, key2)): equal keys meet in one subtask and share state. */
  keyBy(key1: (value: JsonValue) => JsonValue, key2: (value: JsonValue) => JsonValue): ConnectedStreams<R> {
    const keyed = (stream: StreamLike, fn: (value: JsonValue) => JsonValue, description: string): StreamLike => {
      const select = guarded<JsonValue>(description, (v) => fn(v));
      const key: KeySelector = { description, select: (record) => select(record.value, record.timestamp) };
      return { inputs: stream.inputs.map((i) => ({ from: i.from, partitioner: { type: 'hash', key } })), keySelector: key };
    };
    return new ConnectedStreams(this.env, keyed(this.first, key1, 'keyBy1'), keyed(this.second, key2, 'keyBy2'), this.make);
  }

  /** Flink's CoMapFunction: map1 for the first stream's elements, map2 for the second's. */
  map(fn: CoMapFunction, name = 'Co-Map'): R {
    return declare(this.env, this.make, 'comap', name, () => new CoStreamMap(fn), this.#inputs(), null);
  }

  /** Flink's CoFlatMapFunction. */
  flatMap(fn: CoFlatMapFunction, name = 'Co-Flat Map'): R {
    return declare(this.env, this.make, 'coflatmap', name, () => new CoStreamFlatMap(fn), this.#inputs(), null);
  }

  /**
   * A CoProcessFunction, or on keyed connected streams a KeyedCoProcessFunction (both sides
   * of a key share its state and timers).
   */
  process<S extends StateDescriptors>(fn: KeyedCoProcessFunction<S>, name?: string): R;
  process(fn: CoProcessFunction, name?: string): R;
  process<S extends StateDescriptors>(fn: CoProcessFunction | KeyedCoProcessFunction<S>, name = this.isKeyed ? 'KeyedCoProcess' : 'Co-Process'): R {
    const keys = this.isKeyed ? ([keyFunction(this.first.keySelector!), keyFunction(this.second.keySelector!)] as const) : null;
    if (keys === null && 'state' in fn && fn.state !== undefined && Object.keys(fn.state).length > 0) {
      throw new TypeError(`process: keyed state needs keyed connected streams: connect two keyed streams, or call keyBy(key1, key2) first`);
    }
    const create = (): TwoInputStreamOperator => new CoProcessOperator(fn as KeyedCoProcessFunction, keys);
    return declare(this.env, this.make, 'coprocess', name, create, this.#inputs(), keys === null ? null : this.first.keySelector);
  }

  #inputs(): Inputs {
    return [...edgesOf(this.first, 1), ...edgesOf(this.second, 2)];
  }
}

/** A stream broadcast to every subtask, with the broadcast states it may write (Flink's BroadcastStream). */
export class BroadcastStream implements StreamLike {
  readonly keySelector = null;
  constructor(
    readonly inputs: Inputs,
    readonly descriptors: readonly BroadcastStateDescriptor[],
  ) {}
}

/** A stream connected with a broadcast stream (Flink's BroadcastConnectedStream). */
export class BroadcastConnectedStream<R> {
  constructor(
    private readonly env: TransformationSink,
    private readonly first: StreamLike,
    private readonly broadcast: BroadcastStream,
    private readonly make: MakeStream<R>,
  ) {}

  /** A KeyedBroadcastProcessFunction when the first stream is keyed, else a BroadcastProcessFunction. */
  process<S extends StateDescriptors>(fn: KeyedBroadcastProcessFunction<S>, name?: string): R;
  process(fn: BroadcastProcessFunction, name?: string): R;
  process<S extends StateDescriptors>(fn: BroadcastProcessFunction | KeyedBroadcastProcessFunction<S>, name = 'Co-Process-Broadcast'): R {
    const key = this.first.keySelector;
    if (key === null && 'state' in fn && fn.state !== undefined && Object.keys(fn.state).length > 0) {
      throw new TypeError('process: keyed state needs a keyed stream on the non-broadcast side (keyBy before connect)');
    }
    const descriptors = this.broadcast.descriptors;
    const create = (): TwoInputStreamOperator => new BroadcastProcessOperator(fn as KeyedBroadcastProcessFunction, descriptors, key === null ? null : keyFunction(key));
    const inputs = [...edgesOf(this.first, 1), ...edgesOf(this.broadcast, 2, { type: 'broadcast' })];
    return declare(this.env, this.make, key === null ? 'cobroadcast' : 'keyedcobroadcast', name, create, inputs, key);
  }
}

/** `keyedStream.intervalJoin(other)`: waiting for its bounds (Flink's KeyedStream.IntervalJoin). */
export class IntervalJoin<R> {
  constructor(
    private readonly env: TransformationSink,
    private readonly left: StreamLike,
    private readonly right: StreamLike,
    private readonly make: MakeStream<R>,
  ) {}

  /**
   * Joins a left element at t with the right elements in [t + lowerMs, t + upperMs].
   * @throws RangeError when lowerMs > upperMs, as Flink's between does
   */
  between(lowerMs: number, upperMs: number): IntervalJoined<R> {
    const problem = intervalBoundsProblem(lowerMs, upperMs);
    if (problem !== null) throw new RangeError(`between: ${problem}`);
    return new IntervalJoined(this.env, this.left, this.right, this.make, lowerMs, upperMs);
  }
}

/** An interval join with its bounds (Flink's IntervalJoined). */
export class IntervalJoined<R> {
  #lowerInclusive = true;
  #upperInclusive = true;
  #leftLate: string | null = null;
  #rightLate: string | null = null;

  constructor(
    private readonly env: TransformationSink,
    private readonly left: StreamLike,
    private readonly right: StreamLike,
    private readonly make: MakeStream<R>,
    private readonly lowerMs: number,
    private readonly upperMs: number,
  ) {}

  lowerBoundExclusive(): this {
    this.#lowerInclusive = false;
    return this;
  }
  upperBoundExclusive(): this {
    this.#upperInclusive = false;
    return this;
  }
  /** Late left elements go to side output `tag` instead of being dropped (Flink 1.16+). */
  sideOutputLeftLateData(tag: string): this {
    this.#leftLate = tag;
    return this;
  }
  sideOutputRightLateData(tag: string): this {
    this.#rightLate = tag;
    return this;
  }

  /** Calls `fn` once per joined pair; the pair's timestamp is the larger of the two. */
  process(fn: ProcessJoinFunction, name = 'Interval Join'): R {
    const config = {
      bounds: { lowerMs: this.lowerMs, upperMs: this.upperMs, lowerInclusive: this.#lowerInclusive, upperInclusive: this.#upperInclusive },
      keys: [keyFunction(this.left.keySelector!), keyFunction(this.right.keySelector!)] as const,
      fn,
      leftLateTag: this.#leftLate,
      rightLateTag: this.#rightLate,
    };
    const inputs = [...edgesOf(this.left, 1), ...edgesOf(this.right, 2)];
    return declare(this.env, this.make, 'intervaljoin', name, () => new IntervalJoinOperator(config), inputs, this.left.keySelector);
  }
}
