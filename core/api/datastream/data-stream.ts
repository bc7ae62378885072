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
  FilterOperator,
  FlatMapOperator,
  guarded,
  MapOperator,
  PrintSink,
  type RecordFunction,
  type SinkFunction,
} from '../../operators/index.ts';
import type { Transformation, TransformationSink } from './transformation.ts';

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

  /** One value in, one value out. */
  map(fn: RecordFunction<JsonValue>, name = 'Map'): DataStream {
    const f = guarded(name, fn);
    return this.#operator('map', name, () => new MapOperator(f));
  }

  /** Keeps records for which `fn` returns a truthy value. */
  filter(fn: RecordFunction<JsonValue | boolean>, name = 'Filter'): DataStream {
    const f = guarded(name, fn);
    return this.#operator('filter', name, () => new FilterOperator((v, t) => isTruthy(f(v, t) as JsonValue)));
  }

  /** One value in, a list of values out. */
  flatMap(fn: RecordFunction<JsonValue[]>, name = 'Flat Map'): DataStream {
    const f = guarded(name, fn);
    return this.#operator('flatmap', name, () => new FlatMapOperator(f));
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
  broadcast(): DataStream {
    return this.#partition({ type: 'broadcast' });
  }
  forward(): DataStream {
    return this.#partition({ type: 'forward' });
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

  /** Writes every record to the report's sink `id` (Flink's print()). */
  print(name = 'Print to Std. Out'): DataStreamSink {
    const t = this.env.add('print', name, { kind: 'operator', create: () => new PrintSink(t.id) }, this.inputs, true);
    return new DataStreamSink(t);
  }

  /** Hands every record to `fn` (Flink's addSink with a SinkFunction). */
  addSink(fn: SinkFunction, name = 'Unnamed'): DataStreamSink {
    const t = this.env.add('sink', name, { kind: 'operator', create: () => new CollectSink(name, fn) }, this.inputs, true);
    return new DataStreamSink(t);
  }

  #operator(kind: string, name: string, create: () => MapOperator | FilterOperator | FlatMapOperator): DataStream {
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

/** A stream partitioned by key: the operators applied to it have keyed state and timers. */
export class KeyedStream extends DataStream {}

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
