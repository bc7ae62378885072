/**
 * The operator that runs a KeyedProcessFunction, after Flink's KeyedProcessOperator.
 * Before each call into the function it sets the current key: the element's key for
 * processElement, the timer's key for onTimer. That is the whole trick of keyed state and
 * timers: the function never names a key, the runtime scopes everything to the one at hand.
 *
 * A watermark first fires every event-time timer it reaches, and only then goes
 * downstream, so what the timers emit is never late behind it. Processing-time timers are
 * fired by the clock: a timer for t fires once the clock has passed t (at t + 1), as
 * Flink's processing-time service delays every timer by one millisecond. A bounded input
 * ends with the maximum watermark, which fires every event-time timer; processing-time
 * timers still pending at the end are dropped, as in Flink.
 *
 * What the function emits carries the element's timestamp, or the timer's for an
 * event-time timer; for a processing-time timer it carries none (Flink's
 * TimestampedCollector erases it), since clock time is not event time.
 */
import { LimitExceededError, SimulationAssertionError } from '../../kernel/index.ts';
import { isTimeInRange, TIME_RANGE_TEXT, type StreamRecord } from '../../model/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { DEFAULT_NAMESPACE, type InternalTimerService, type KeyedStateBackend, type Timer } from '../../state/index.ts';
import { subtaskCopy, type CheckpointedFunctionHost } from '../checkpointed-function.ts';
import type { KeyedContext, OperatorContext, Output, StreamOperator } from '../operator.ts';
import { writeUserSideOutput } from '../side-output.ts';
import { isUserError, UserFunctionError } from '../user-function.ts';
import { timestampedCollector, type Collector, type KeyedProcessFunction, type OnTimerContext, type StateDescriptors, type TimerService } from './process-function.ts';
import type { TimeDomain } from './process-spec.ts';
import { createStateHandles, type StateHandleInstance } from './state-handles.ts';

type Handle = StateHandleInstance;

/**
 * Makes one operator instance (one per subtask) running `fn`.
 * @example
 * const factory: OperatorFactory = { kind: 'operator', create: () => createKeyedProcessOperator(processFunctionFromSpec(spec)) };
 */
export function createKeyedProcessOperator<S extends StateDescriptors>(fn: KeyedProcessFunction<S>): KeyedProcessOperator {
  return new KeyedProcessOperator(fn as KeyedProcessFunction);
}

/**
 * Flink's KeyedProcessOperator: runs `fn` with the current key set, fires its timers.
 * @example
 * const op = new KeyedProcessOperator(processFunctionFromSpec(spec));
 * createOperatorHarness(op, { keySelector: 'key' }).open().feed('a@1 W1000');
 */
export class KeyedProcessOperator implements StreamOperator {
  readonly #fn: KeyedProcessFunction;
  #ctx!: OperatorContext;
  #keyed!: KeyedContext;
  #backend!: KeyedStateBackend;
  #timers!: InternalTimerService;
  #out!: Output;
  readonly #handles = new Map<string, Handle>();
  // The context of the call in progress: one object, reset before each call.
  #timestamp: number | null = null;
  #outputTimestamp: number | null = null;
  #domain: TimeDomain = 'event';
  readonly #context: OnTimerContext;
  readonly #collector: Collector;
  readonly #timerService: TimerService;

  /** The function's operator state, when it is a CheckpointedFunction; null keeps snapshots as they were (no operator state). */
  readonly #checkpointed: CheckpointedFunctionHost | null;

  constructor(fn: KeyedProcessFunction) {
    const { fn: own, host } = subtaskCopy(fn);
    this.#fn = own;
    this.#checkpointed = host;
    if (host !== null) {
      this.initializeState = (restored) => host.initialize(restored);
      this.snapshotState = (checkpointId) => host.snapshot(checkpointId);
    }
    this.#timerService = this.#makeTimerService();
    this.#context = this.#makeContext();
    this.#collector = timestampedCollector(() => this.#out, () => this.#outputTimestamp);
  }

  initializeState?: (restored: readonly JsonValue[] | null) => void;
  snapshotState?: (checkpointId: number) => JsonValue;

  open(ctx: OperatorContext, output: Output): void {
    if (ctx.keyed === null) throw new Error(`operator '${ctx.operatorId}': a process function needs a keyed stream (keyBy before process)`);
    this.#ctx = ctx;
    this.#keyed = ctx.keyed;
    this.#backend = ctx.keyed.backend;
    this.#timers = ctx.keyed.timers;
    this.#out = output;
    for (const [name, handle] of createStateHandles(ctx, this.#backend, this.#fn.state ?? {})) this.#handles.set(name, handle);
    this.#checkpointed?.open(ctx);
  }

  processElement(record: StreamRecord): void {
    this.#backend.setCurrentKey(this.#keyed.selectKey(record));
    this.#backend.setCurrentNamespace(DEFAULT_NAMESPACE);
    this.#timestamp = record.timestamp;
    this.#outputTimestamp = record.timestamp;
    this.#call(() => this.#fn.processElement(record.value, this.#context, this.#collector));
  }

  processWatermark(watermark: number): void {
    this.#timers.advanceWatermark(watermark, (timer) => this.#fire(timer, 'event'));
    this.#out.emitWatermark(watermark);
  }

  onProcessingTime(nowMs: number): void {
    this.#timers.onProcessingTime(nowMs - 1, (timer) => this.#fire(timer, 'processing'));
    const next = this.#timers.nextProcessingTime();
    if (next !== null) this.#wakeUpAt(next + 1);
  }

  endInput(): void {}

  #fire(timer: Timer, domain: TimeDomain): void {
    const onTimer = this.#fn.onTimer;
    if (onTimer === undefined) return;
    this.#backend.setCurrentKey(timer.key);
    this.#backend.setCurrentNamespace(timer.namespace);
    this.#timestamp = timer.timestamp;
    this.#outputTimestamp = domain === 'event' ? timer.timestamp : null;
    this.#domain = domain;
    this.#call(() => onTimer.call(this.#fn, timer.timestamp, this.#context, this.#collector));
  }

  /** Runs user code: what it throws fails the task. */
  #call(work: () => void): void {
    try {
      work();
    } catch (e) {
      // Weir's own failures (a broken invariant, a limit) are not the user's: let them stop the run.
      if (isUserError(e) || e instanceof SimulationAssertionError || e instanceof LimitExceededError) throw e;
      throw new UserFunctionError(this.#ctx.operatorId, e);
    }
  }

  /** The task keeps one wake-up per time, however often it is asked. */
  #wakeUpAt(atMs: number): void {
    this.#ctx.registerProcessingTimeCallback(atMs);
  }

  #timer(time: number): Timer {
    if (!isTimeInRange(time)) throw new TypeError(`a timer's time is a whole number of milliseconds ${TIME_RANGE_TEXT}, found ${String(time)}`);
    return { timestamp: time, key: this.#backend.currentKey, keyId: this.#backend.currentKeyId, namespace: this.#backend.currentNamespace };
  }

  #makeTimerService(): TimerService {
    return {
      currentWatermark: () => this.#timers.currentWatermark,
      currentProcessingTime: () => this.#ctx.nowMs(),
      registerEventTimeTimer: (time) => this.#timers.registerEventTimeTimer(this.#timer(time)),
      deleteEventTimeTimer: (time) => this.#timers.deleteEventTimeTimer(this.#timer(time)),
      registerProcessingTimeTimer: (time) => {
        if (this.#timers.registerProcessingTimeTimer(this.#timer(time))) this.#wakeUpAt(time + 1);
      },
      deleteProcessingTimeTimer: (time) => this.#timers.deleteProcessingTimeTimer(this.#timer(time)),
    };
  }

  #makeContext(): OnTimerContext {
    return {
      timestamp: () => this.#timestamp,
      getCurrentKey: () => this.#backend.currentKey,
      timerService: () => this.#timerService,
      getState: (name: string) => {
        const handle = this.#handles.get(name);
        if (handle === undefined) {
          const known = [...this.#handles.keys()];
          throw new TypeError(`state '${name}' is not declared (${known.length === 0 ? 'the function declares no state' : `declared: ${known.join(', ')}`})`);
        }
        return handle;
      },
      output: (tag, value) => writeUserSideOutput(this.#ctx, tag, value, this.#timestamp),
      timeDomain: () => this.#domain,
    } as OnTimerContext;
  }
}

