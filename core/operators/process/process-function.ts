/**
 * Flink's KeyedProcessFunction for TypeScript: the lowest-level operator a job can have.
 * It sees one element at a time with its key, keeps keyed state, and sets timers that call
 * it back later, in event time (when the watermark passes) or processing time (when the
 * clock does). Windows, joins and timeouts can all be written with it, which is why Flink
 * teaches it as the building block underneath the others.
 *
 * State is declared up front, by name and kind, the way a Flink function creates its
 * state descriptors in `open()`; `ctx.getState(name)` then hands out the handle, scoped to
 * the current key. Timers are per key and time: registering the same one twice gives one
 * firing, and when it fires, the current key is the key it was registered under.
 */
import { isTimeInRange, TIME_RANGE_TEXT, type JsonValue } from '../../model/index.ts';
import type { AggregateFunction, AggregatingState, ListState, MapState, ReducingState, StateTtlConfig, ValueState } from '../../state/index.ts';
import type { CheckpointedFunction } from '../checkpointed-function.ts';
import type { TimeDomain } from './process-spec.ts';

/** What every descriptor may carry: a time-to-live (Flink's StateDescriptor.enableTimeToLive). */
export interface DescriptorOptions {
  /** Expire values not written (or read, with OnReadAndWrite) for this long in processing time. */
  readonly ttl?: StateTtlConfig;
}

/** Declares a ValueState; `defaultValue` is what it reads as for a key that has none. @example valueState(0) */
export interface ValueStateDescriptor extends DescriptorOptions {
  readonly kind: 'value';
  readonly defaultValue: JsonValue | null;
}
/** Declares a ListState. @example listState() */
export interface ListStateDescriptor extends DescriptorOptions {
  readonly kind: 'list';
}
/** Declares a MapState (string keys). @example mapState() */
export interface MapStateDescriptor extends DescriptorOptions {
  readonly kind: 'map';
}
/** Declares a ReducingState folded with `reduce(valueSoFar, addedValue)`. @example reducingState((a, b) => Math.max(a as number, b as number)) */
export interface ReducingStateDescriptor extends DescriptorOptions {
  readonly kind: 'reducing';
  readonly reduce: (a: JsonValue, b: JsonValue) => JsonValue;
}
/** Declares an AggregatingState run by an AggregateFunction. @example aggregatingState(average) */
export interface AggregatingStateDescriptor extends DescriptorOptions {
  readonly kind: 'aggregating';
  readonly aggregate: AggregateFunction;
}
/** Any state descriptor. @example const d: StateDescriptor = valueState(0); */
export type StateDescriptor = ValueStateDescriptor | ListStateDescriptor | MapStateDescriptor | ReducingStateDescriptor | AggregatingStateDescriptor;
/** A function's state, by name. @example const s: StateDescriptors = { count: valueState(0), seen: listState() }; */
export type StateDescriptors = Readonly<Record<string, StateDescriptor>>;

/** The handle `getState` returns for a descriptor: Flink's state interface of that kind. @example type H = StateHandle<ListStateDescriptor>; // ListState */
export type StateHandle<D extends StateDescriptor> = D extends ValueStateDescriptor
  ? ValueState
  : D extends ListStateDescriptor
    ? ListState
    : D extends MapStateDescriptor
      ? MapState
      : D extends ReducingStateDescriptor
        ? ReducingState
        : AggregatingState;

/**
 * @example const count = valueState(0); // reads 0 for a key never set
 * @example const session = valueState(null, { ttl: StateTtlConfig.newBuilder(60_000).build() });
 */
export function valueState(defaultValue: JsonValue | null = null, options: DescriptorOptions = {}): ValueStateDescriptor {
  return withOptions({ kind: 'value', defaultValue }, options);
}
/** @example const seen = listState(); */
export function listState(options: DescriptorOptions = {}): ListStateDescriptor {
  return withOptions({ kind: 'list' }, options);
}
/** @example const lastBy = mapState(); */
export function mapState(options: DescriptorOptions = {}): MapStateDescriptor {
  return withOptions({ kind: 'map' }, options);
}
/** @example const total = reducingState((a, b) => (a as number) + (b as number)); */
export function reducingState(reduce: (a: JsonValue, b: JsonValue) => JsonValue, options: DescriptorOptions = {}): ReducingStateDescriptor {
  return withOptions({ kind: 'reducing', reduce }, options);
}
/** @example const average = aggregatingState({ createAccumulator: () => [0, 0], add: ..., getResult: ([s, n]) => s / n, merge: ... }); */
export function aggregatingState(aggregate: AggregateFunction, options: DescriptorOptions = {}): AggregatingStateDescriptor {
  return withOptions({ kind: 'aggregating', aggregate }, options);
}

/**
 * The descriptor with a time-to-live (Flink's `descriptor.enableTimeToLive(ttlConfig)`).
 * @example const seen = enableTimeToLive(listState(), StateTtlConfig.newBuilder(1000).build());
 */
export function enableTimeToLive<D extends StateDescriptor>(descriptor: D, ttl: StateTtlConfig): D {
  return { ...descriptor, ttl };
}

/** Adds `ttl` only when given, so a descriptor without TTL stays exactly what it was. */
function withOptions<D extends StateDescriptor>(descriptor: D, options: DescriptorOptions): D {
  return options.ttl === undefined ? descriptor : { ...descriptor, ttl: options.ttl };
}

/**
 * Flink's TimerService, for the current key. Times are integer milliseconds.
 * @example ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 1000);
 */
export interface TimerService {
  /** The operator's event-time clock: the last watermark, MIN_WATERMARK before the first. */
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** Fires onTimer once the watermark reaches `time` (at once with the next watermark if it already has). */
  registerEventTimeTimer(time: number): void;
  /** Fires onTimer once the clock has passed `time`. */
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/** Where a process function sends its results (Flink's Collector). @example out.collect({ user: ctx.getCurrentKey() }); */
export interface Collector {
  /** Emits with the current output timestamp: the element's, or the event-time timer's. */
  collect(value: JsonValue): void;
  /** Emits with a timestamp of the function's choosing (null: none). */
  collectWithTimestamp(value: JsonValue, timestamp: number | null): void;
}

/** What processElement may use (Flink's KeyedProcessFunction.Context). @example ctx.getState('count').value(); */
export interface ProcessContext<S extends StateDescriptors = StateDescriptors> {
  /** The element's timestamp (null when it has none); in onTimer, the timer's time. */
  timestamp(): number | null;
  getCurrentKey(): JsonValue;
  timerService(): TimerService;
  /** The handle of a declared state, scoped to the current key. */
  getState<N extends keyof S & string>(name: N): StateHandle<S[N]>;
  /** Emits to a side output, with `timestamp()` as its timestamp. */
  output(tag: string, value: JsonValue): void;
}

/** What onTimer may use (Flink's OnTimerContext). @example if (ctx.timeDomain() === 'event') out.collect(ctx.timestamp()); */
export interface OnTimerContext<S extends StateDescriptors = StateDescriptors> extends ProcessContext<S> {
  timeDomain(): TimeDomain;
}

/**
 * A keyed process function.
 * @example
 * const counter: KeyedProcessFunction<{ count: ValueStateDescriptor }> = {
 *   state: { count: valueState(0) },
 *   processElement(value, ctx, out) {
 *     const count = ctx.getState('count');
 *     count.update((count.value() as number) + 1);
 *     out.collect({ key: ctx.getCurrentKey(), count: count.value() });
 *   },
 * };
 */
export interface KeyedProcessFunction<S extends StateDescriptors = StateDescriptors> extends Partial<CheckpointedFunction> {
  readonly state?: S;
  processElement(value: JsonValue, ctx: ProcessContext<S>, out: Collector): void;
  /** Called for each timer that fires, with its key as the current key; absent: timers do nothing. */
  onTimer?(timestamp: number, ctx: OnTimerContext<S>, out: Collector): void;
}

/**
 * Flink's ProcessFunction, on a stream that is not keyed: processElement only. There is no
 * key, so no keyed state and no timers (the context's getCurrentKey is null, its timer
 * service tells the watermark and the clock and refuses timers); operator state comes from
 * CheckpointedFunction.
 * @example
 * const tag: ProcessFunction = { processElement(v, ctx, out) { out.collect({ v, wm: ctx.timerService().currentWatermark() }); } };
 */
export interface ProcessFunction extends Partial<CheckpointedFunction> {
  processElement(value: JsonValue, ctx: ProcessContext, out: Collector): void;
}

/**
 * The collector an operator hands its function: `collect` stamps what `timestamp()` says at
 * the moment, `collectWithTimestamp` the caller's own (a whole number or null).
 * @example const out = timestampedCollector(() => this.#out, () => this.#timestamp);
 */
export function timestampedCollector(output: () => { collect(record: { value: JsonValue; timestamp: number | null }): void }, timestamp: () => number | null): Collector {
  return {
    collect: (value) => output().collect({ value, timestamp: timestamp() }),
    collectWithTimestamp: (value, t) => {
      if (t !== null && !isTimeInRange(t)) throw new TypeError(`an output timestamp is a whole number of milliseconds ${TIME_RANGE_TEXT}, or null, found ${String(t)}`);
      output().collect({ value, timestamp: t });
    },
  };
}
