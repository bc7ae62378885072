/**
 * Flink's CoBroadcastWithNonKeyedOperator and CoBroadcastWithKeyedOperator in one. Input 1
 * is the ordinary side (keyed when a key selector is given), input 2 the broadcast side.
 * Broadcast state lives in a BroadcastStateStore, snapshotted as operator state by every
 * subtask; keyed state and timers of the ordinary side live in the keyed backend, as a
 * KeyedCoProcessOperator's do.
 *
 * Besides getBroadcastState, `getState(name)` finds a broadcast state by its name (with the
 * side's rights: read-only on the ordinary side): the scenario DSL reads and writes all
 * state through getState, so one rule, enforced here, covers both front ends.
 */
import type { JsonValue, StreamRecord } from '../../model/index.ts';
import type { OperatorContext, Output } from '../operator.ts';
import type { TimerService } from '../process/index.ts';
import type { BroadcastProcessFunction, BroadcastStateRef, KeyedBroadcastContext, KeyedBroadcastOnTimerContext, KeyedBroadcastProcessFunction } from './broadcast-functions.ts';
import { BroadcastStateStore, type BroadcastState, type BroadcastStateDescriptor } from './broadcast-state.ts';
import type { KeyFunction } from './co-process-operator.ts';
import { FunctionScope } from './function-scope.ts';
import { AbstractTwoInputOperator } from './two-input-base.ts';

const NO_TIMERS_ON_BROADCAST_SIDE = 'timers cannot be set in processBroadcastElement: the broadcast side has no key (set them in processElement)';
const NO_KEYED_STATE_ON_BROADCAST_SIDE = 'keyed state is not available in processBroadcastElement: the broadcast side has no key (use ctx.applyToKeyedState(name, (key, state) => ...) to visit every key\'s state)';

/**
 * @example
 * new BroadcastProcessOperator(fn, [mapStateDescriptor('rules')], (r) => (r.value as Event).user) // keyed
 */
export class BroadcastProcessOperator extends AbstractTwoInputOperator {
  readonly #fn: KeyedBroadcastProcessFunction;
  readonly #key: KeyFunction | null;
  readonly #store: BroadcastStateStore;
  readonly #scope = new FunctionScope();
  readonly #readOnly = new Map<string, BroadcastState>();
  readonly #writable = new Map<string, BroadcastState>();
  readonly #elementContext: KeyedBroadcastOnTimerContext;
  readonly #broadcastContext: KeyedBroadcastContext & { getState(name: string): BroadcastState; timerService(): TimerService; getCurrentKey(): JsonValue };
  readonly #onTimer: ((timestamp: number) => void) | null;

  constructor(fn: BroadcastProcessFunction | KeyedBroadcastProcessFunction, descriptors: readonly BroadcastStateDescriptor[], key: KeyFunction | null) {
    super();
    this.#fn = fn as KeyedBroadcastProcessFunction;
    this.#key = key;
    this.#store = new BroadcastStateStore(descriptors);
    for (const name of this.#store.names) {
      this.#readOnly.set(name, this.#store.handle(name, false));
      this.#writable.set(name, this.#store.handle(name, true));
    }
    const scope = this.#scope;
    const readOnly = (ref: BroadcastStateRef): BroadcastState => this.#broadcastHandle(ref, this.#readOnly);
    this.#elementContext = {
      timestamp: () => scope.timestamp,
      getCurrentKey: () => scope.getCurrentKey(),
      timerService: () => scope.timerService,
      getState: (name: string) => (this.#readOnly.get(name) ?? scope.getState(name)) as never,
      getBroadcastState: readOnly,
      output: (tag: string, value: JsonValue) => scope.output(tag, value),
      timeDomain: () => scope.domain,
      currentProcessingTime: () => scope.operatorContext.nowMs(),
      currentWatermark: () => scope.currentWatermark,
    } as KeyedBroadcastOnTimerContext;
    const refuse = (): never => {
      throw new TypeError(NO_TIMERS_ON_BROADCAST_SIDE);
    };
    const broadcastTimers: TimerService = {
      currentWatermark: () => scope.currentWatermark,
      currentProcessingTime: () => scope.operatorContext.nowMs(),
      registerEventTimeTimer: refuse,
      registerProcessingTimeTimer: refuse,
      deleteEventTimeTimer: refuse,
      deleteProcessingTimeTimer: refuse,
    };
    this.#broadcastContext = {
      timestamp: () => scope.timestamp,
      getBroadcastState: (ref: BroadcastStateRef) => this.#broadcastHandle(ref, this.#writable),
      getState: (name: string) => {
        const handle = this.#writable.get(name);
        if (handle === undefined) throw new TypeError(NO_KEYED_STATE_ON_BROADCAST_SIDE);
        return handle;
      },
      output: (tag: string, value: JsonValue) => scope.output(tag, value),
      currentProcessingTime: () => scope.operatorContext.nowMs(),
      currentWatermark: () => scope.currentWatermark,
      timerService: () => broadcastTimers,
      getCurrentKey: () => null,
      applyToKeyedState: (name: string, fn: (key: JsonValue, state: never) => void) => scope.applyToKeyedState(name, fn as (key: JsonValue, state: unknown) => void),
    };
    const onTimer = this.#fn.onTimer;
    this.#onTimer = onTimer === undefined ? null : (t) => onTimer.call(this.#fn, t, this.#elementContext, scope.collector);
  }

  initializeState(restored: readonly JsonValue[] | null): void {
    this.#store.initialize(restored);
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.#store.open(ctx.subtaskIndex);
    this.#scope.open(ctx, output, this.#key !== null, this.#fn.state);
  }

  snapshotState(): JsonValue {
    return this.#store.snapshot();
  }

  /** The ordinary side: keyed state and timers (when keyed), broadcast state read-only. */
  processElement1(record: StreamRecord): void {
    const scope = this.#scope;
    scope.element(record, this.#key === null ? null : this.#key(record));
    scope.call(() => this.#fn.processElement(record.value, this.#elementContext, scope.collector));
  }

  /** The broadcast side: no key, broadcast state writable. */
  processElement2(record: StreamRecord): void {
    const scope = this.#scope;
    scope.unkeyedElement(record);
    scope.call(() => this.#fn.processBroadcastElement(record.value, this.#broadcastContext, scope.collector));
  }

  protected override processWatermark(watermark: number): void {
    this.#scope.advanceWatermark(watermark, this.#onTimer);
  }

  onProcessingTime(nowMs: number): void {
    this.#scope.onProcessingTime(nowMs, this.#onTimer);
  }

  #broadcastHandle(ref: BroadcastStateRef, handles: ReadonlyMap<string, BroadcastState>): BroadcastState {
    const name = typeof ref === 'string' ? ref : ref.name;
    const handle = handles.get(name);
    if (handle !== undefined) return handle;
    return this.#store.handle(name, false); // throws: not declared
  }
}
