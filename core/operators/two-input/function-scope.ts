/**
 * What the process-style two-input operators share with Flink's KeyedProcessOperator: the
 * current key, state handles scoped to it, a timer service, and a collector that stamps
 * what is emitted (the element's timestamp; an event-time timer's time; none for a
 * processing-time timer). One object per operator instance, reset before each call, so the
 * per-element path allocates nothing.
 *
 * Unkeyed (a CoProcessFunction, a BroadcastProcessFunction) there is no key: asking for
 * keyed state or a timer throws Flink's message, since neither exists without a key.
 */
import { LimitExceededError, SimulationAssertionError } from '../../kernel/index.ts';
import { isTimeInRange, MIN_WATERMARK, TIME_RANGE_TEXT, type JsonValue, type StreamRecord } from '../../model/index.ts';
import { DEFAULT_NAMESPACE, type InternalTimerService, type KeyedStateBackend, type Timer } from '../../state/index.ts';
import type { OperatorContext, Output } from '../operator.ts';
import { writeUserSideOutput } from '../side-output.ts';
import { isUserError, UserFunctionError } from '../user-function.ts';
import type { Collector, StateDescriptors, TimerService } from '../process/index.ts';
import type { TimeDomain } from '../process/index.ts';
import { createStateHandles, type StateHandleInstance } from '../process/index.ts';

type Handle = StateHandleInstance;

/** Flink's messages for what needs a keyed stream. */
export const NEEDS_KEYED_TIMERS = 'Setting timers is only supported on a keyed streams.';
export const NEEDS_KEYED_STATE = "Keyed state can only be used on a 'keyed stream', i.e., after a 'keyBy()' operation.";

export class FunctionScope {
  #ctx!: OperatorContext;
  #out!: Output;
  #backend: KeyedStateBackend | null = null;
  #timers: InternalTimerService | null = null;
  readonly #handles = new Map<string, Handle>();
  /** `ctx.timestamp()`: the element's timestamp, or the timer's time. */
  timestamp: number | null = null;
  #outputTimestamp: number | null = null;
  domain: TimeDomain = 'event';
  readonly collector: Collector;
  readonly timerService: TimerService;

  constructor() {
    this.collector = {
      collect: (value) => this.#out.collect({ value, timestamp: this.#outputTimestamp }),
      collectWithTimestamp: (value, timestamp) => {
        if (timestamp !== null && !isTimeInRange(timestamp)) throw new TypeError(`an output timestamp is a whole number of milliseconds ${TIME_RANGE_TEXT}, or null, found ${String(timestamp)}`);
        this.#out.collect({ value, timestamp });
      },
    };
    this.timerService = this.#makeTimerService();
  }

  /** `keyed`: whether the function has a key (then the task must have given a keyed context). */
  open(ctx: OperatorContext, output: Output, keyed: boolean, states: StateDescriptors | undefined): void {
    this.#ctx = ctx;
    this.#out = output;
    if (keyed) {
      if (ctx.keyed === null) throw new Error(`operator '${ctx.operatorId}': keyed connected streams need keyed state (both inputs keyed)`);
      this.#backend = ctx.keyed.backend;
      this.#timers = ctx.keyed.timers;
      for (const [name, handle] of createStateHandles(ctx, this.#backend, states ?? {})) this.#handles.set(name, handle);
      // Timers restored with the state need their wake-up call again.
      const next = this.#timers.nextProcessingTime();
      if (next !== null) ctx.registerProcessingTimeCallback(next + 1);
    } else if (states !== undefined && Object.keys(states).length > 0) {
      throw new TypeError(`operator '${ctx.operatorId}': ${NEEDS_KEYED_STATE}`);
    }
  }

  get keyed(): boolean {
    return this.#backend !== null;
  }

  get operatorContext(): OperatorContext {
    return this.#ctx;
  }

  get currentWatermark(): number {
    return this.#timers?.currentWatermark ?? this.#watermark;
  }

  /** The watermark of an unkeyed operator (a keyed one reads its timer service's). */
  #watermark = MIN_WATERMARK;

  /** Before an element: its key (keyed only) and timestamp become the call's. */
  element(record: StreamRecord, key: JsonValue): void {
    if (this.#backend !== null) {
      this.#backend.setCurrentKey(key);
      this.#backend.setCurrentNamespace(DEFAULT_NAMESPACE);
    }
    this.timestamp = record.timestamp;
    this.#outputTimestamp = record.timestamp;
  }

  /** Before an element of an unkeyed side (the broadcast side of a keyed broadcast): no key. */
  unkeyedElement(record: StreamRecord): void {
    this.timestamp = record.timestamp;
    this.#outputTimestamp = record.timestamp;
  }

  getCurrentKey(): JsonValue {
    return this.#backend === null ? null : this.#backend.currentKey;
  }

  getState(name: string): Handle {
    if (this.#backend === null) throw new TypeError(NEEDS_KEYED_STATE);
    const handle = this.#handles.get(name);
    if (handle === undefined) {
      const known = [...this.#handles.keys()];
      throw new TypeError(`state '${name}' is not declared (${known.length === 0 ? 'the function declares no state' : `declared: ${known.join(', ')}`})`);
    }
    return handle;
  }

  /**
   * Flink's applyToKeyedState: `fn(key, handle)` for every key of this subtask's key groups
   * that holds keyed state `name`, with that key current (key-group order, then key order,
   * the same in every run). Outside an element of the keyed side, so no key is current after.
   */
  applyToKeyedState(name: string, fn: (key: JsonValue, state: Handle) => void): void {
    const backend = this.#backend;
    if (backend === null) throw new TypeError(NEEDS_KEYED_STATE);
    const handle = this.getState(name);
    const keys: string[] = [];
    for (const e of backend.entries()) if (e.state === name && e.namespace === DEFAULT_NAMESPACE && keys[keys.length - 1] !== e.key) keys.push(e.key);
    for (const text of keys) {
      const key = JSON.parse(text) as JsonValue;
      backend.setCurrentKey(key);
      backend.setCurrentNamespace(DEFAULT_NAMESPACE);
      fn(key, handle);
    }
  }

  output(tag: string, value: JsonValue): void {
    writeUserSideOutput(this.#ctx, tag, value, this.timestamp);
  }

  /** Runs user code: what it throws fails the task, naming the operator. */
  call(work: () => void): void {
    try {
      work();
    } catch (e) {
      if (isUserError(e) || e instanceof SimulationAssertionError || e instanceof LimitExceededError) throw e;
      throw new UserFunctionError(this.#ctx.operatorId, e);
    }
  }

  /** The combined watermark advanced: fire the event-time timers it reaches (keyed), then forward it. */
  advanceWatermark(watermark: number, onTimer: ((timestamp: number) => void) | null): void {
    if (this.#timers !== null) this.#timers.advanceWatermark(watermark, (timer) => this.#fire(timer, 'event', onTimer));
    else this.#watermark = watermark;
    this.#out.emitWatermark(watermark);
  }

  onProcessingTime(nowMs: number, onTimer: ((timestamp: number) => void) | null): void {
    const timers = this.#timers;
    if (timers === null) return;
    timers.onProcessingTime(nowMs - 1, (timer) => this.#fire(timer, 'processing', onTimer));
    const next = timers.nextProcessingTime();
    if (next !== null) this.#ctx.registerProcessingTimeCallback(next + 1);
  }

  #fire(timer: Timer, domain: TimeDomain, onTimer: ((timestamp: number) => void) | null): void {
    if (onTimer === null) return;
    const backend = this.#backend!;
    backend.setCurrentKey(timer.key);
    backend.setCurrentNamespace(timer.namespace);
    this.timestamp = timer.timestamp;
    this.#outputTimestamp = domain === 'event' ? timer.timestamp : null;
    this.domain = domain;
    this.call(() => onTimer(timer.timestamp));
  }

  #timer(time: number): Timer {
    if (this.#backend === null) throw new TypeError(NEEDS_KEYED_TIMERS);
    if (!isTimeInRange(time)) throw new TypeError(`a timer's time is a whole number of milliseconds ${TIME_RANGE_TEXT}, found ${String(time)}`);
    const b = this.#backend;
    return { timestamp: time, key: b.currentKey, keyId: b.currentKeyId, namespace: b.currentNamespace };
  }

  #makeTimerService(): TimerService {
    return {
      currentWatermark: () => this.currentWatermark,
      currentProcessingTime: () => this.#ctx.nowMs(),
      registerEventTimeTimer: (time) => {
        const timer = this.#timer(time);
        this.#timers!.registerEventTimeTimer(timer);
      },
      deleteEventTimeTimer: (time) => {
        const timer = this.#timer(time);
        this.#timers!.deleteEventTimeTimer(timer);
      },
      registerProcessingTimeTimer: (time) => {
        const timer = this.#timer(time);
        if (this.#timers!.registerProcessingTimeTimer(timer)) this.#ctx.registerProcessingTimeCallback(time + 1);
      },
      deleteProcessingTimeTimer: (time) => {
        const timer = this.#timer(time);
        this.#timers!.deleteProcessingTimeTimer(timer);
      },
    };
  }
}
