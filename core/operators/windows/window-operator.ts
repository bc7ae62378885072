/**
 * The window operator, as Flink's WindowOperator works: on a keyed stream, it puts each
 * element into the windows its assigner names, folds it into that (key, window)'s
 * accumulator, and asks the trigger whether to fire. Timers drive everything else: the
 * trigger's timers fire windows, and a cleanup timer per window removes its state.
 *
 * Event time has a notion of "too late". A window stays alive until the watermark passes
 * its cleanup time, max timestamp + allowed lateness. Until then an element for it is
 * accepted even though the window has already fired, and the event-time trigger fires the
 * window again at once with the updated result (a late firing). After the cleanup time the
 * window's state is gone; an element that would have belonged only to such windows is late
 * data: it goes to the late side output when one is set, or is dropped and counted.
 *
 * Processing time has no late data: windows come from the clock, so an element always
 * lands in a window that is still open. A processing-time timer for time t fires once the
 * clock has passed t (at t + 1), as Flink delays processing-time timers by one millisecond
 * so that an element arriving at exactly the end of a window is never in a window that has
 * already fired.
 *
 * A bounded input ends with the maximum watermark, which fires and cleans every event-time
 * window. Processing-time windows still open at the end are not fired: a pending
 * processing-time timer is not data, and Flink's streaming mode drops it when the job
 * finishes.
 *
 * With an evictor (Flink's EvictingWindowOperator) the window keeps its elements instead of
 * an accumulator; when it fires, the evictor drops some of them, the aggregate is computed
 * over the rest, and what the evictor leaves is written back.
 *
 * The result of a firing is the record {"key": k, "window": {"start": s, "end": e},
 * "value": aggregate} with timestamp e - 1; for the global window, "window" is {"start": null, "end": null, "global": true} and
 * the timestamp is the end of time, as Flink stamps it with Long.MAX_VALUE.
 *
 * A window function (the DataStream API's ProcessWindowFunction) also gets Flink's
 * ProcessWindowFunction.Context: the time, side outputs, and keyed state of its own, per
 * window (windowState) and per key (globalState). Each store is one JSON object of name ->
 * value in the key's window namespace or in the default namespace, so that the operator can
 * drop a window's state at its cleanup time without knowing the names, even after a restore:
 * Flink leaves that to ProcessWindowFunction.clear(), which a function here does not have.
 */
import { assert } from '../../kernel/index.ts';
import { isTimeInRange, MAX_WATERMARK, TIME_RANGE_TEXT, type JsonValue, type StreamRecord } from '../../model/index.ts';
import { DEFAULT_NAMESPACE, MAX_TIMERS_REGISTERED_WHILE_FIRING, TimerLoopError, type InternalTimerService, type KeyedStateBackend, type Timer, type TimerStretch } from '../../state/index.ts';
import type { KeyedContext, OperatorContext, Output, StreamOperator } from '../operator.ts';
import { writeUserSideOutput } from '../side-output.ts';
import { UserFunctionError } from '../user-function.ts';
import { aggregateOf, type WindowAggregate, type WindowAggregateSpec } from './aggregates.ts';
import { assignerOf, describeAssigner, type AssignerEnv, type WindowAssigner, type WindowAssignerSpec } from './assigners.ts';
import { aggregateElements, evictingContents } from './evicting-contents.ts';
import { evictorOf, type Evictor, type TimestampedValue, type WindowEvictorSpec } from './evictors.ts';
import { MergingWindowSet } from './merging-window-set.ts';
import { MAX_WINDOW_ASSIGNMENTS, windowAssignmentsExceeded } from './window-assignments.ts';
import { maxTimestamp, windowJson, windowNamespace, windowOfNamespace, type TimeWindow } from './time-window.ts';
import { canMerge, triggerOf, type WindowTriggerSpec } from './trigger-spec.ts';
import { isFire, isPurge, type Trigger, type TriggerContext } from './triggers.ts';

/** The keyed state holding each (key, window)'s accumulator. */
export const WINDOW_CONTENTS_STATE = 'window-contents';
/** The keyed state holding a window function's per-window state: `{name: value}` per (key, window). */
export const WINDOW_FUNCTION_WINDOW_STATE = 'window-function-window-state';
/** The keyed state holding a window function's state across windows: `{name: value}` per key. */
export const WINDOW_FUNCTION_GLOBAL_STATE = 'window-function-global-state';

/**
 * One value of a window function's keyed state (Flink's ValueState): null until updated.
 * @example const count = ctx.windowState().getState('firings'); count.update(((count.value() as number | null) ?? 0) + 1);
 */
export interface WindowValueState {
  value(): JsonValue | null;
  update(value: JsonValue): void;
  clear(): void;
}

/**
 * Flink's KeyedStateStore as a window function's context hands it out: value states by name.
 * @example ctx.globalState().getState('total').value()
 */
export interface KeyedStateStore {
  getState(name: string): WindowValueState;
}

/**
 * Flink's ProcessWindowFunction.Context, given to a window function for the firing at hand
 * (and only while it runs). `output` writes to a side output with the result's timestamp.
 * @example
 * (key, window, result, ctx) => {
 *   if (ctx.currentWatermark() > maxTimestamp(window)) ctx.output('late-firings', { key, result });
 *   return [result];
 * }
 */
export interface ProcessWindowContext {
  readonly window: TimeWindow;
  currentProcessingTime(): number;
  currentWatermark(): number;
  output(tag: string, value: JsonValue): void;
  /** State of this key and window, removed at the window's cleanup time; refused on merging (session) windows, as in Flink. */
  windowState(): KeyedStateStore;
  /** State of this key across all its windows. */
  globalState(): KeyedStateStore;
}

/**
 * What a window operator does: plain data, as a scenario's `window` operator describes it.
 * @example
 * const config: WindowOperatorConfig = {
 *   assigner: { type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' },
 *   trigger: null,
 *   aggregate: { kind: 'sum', expr: 'amount' },
 *   allowedLatenessMs: 500,
 *   lateOutputTag: 'late',
 * };
 */
export interface WindowOperatorConfig {
  readonly assigner: WindowAssignerSpec;
  /** null: the assigner's default trigger (event-time or processing-time). */
  readonly trigger: WindowTriggerSpec | null;
  readonly aggregate: WindowAggregateSpec;
  /** How long after a window's end (in event time) it still accepts elements. */
  readonly allowedLatenessMs: number;
  /** The side-output tag late elements go to; null: they are dropped and counted. */
  readonly lateOutputTag: string | null;
  /** Flink's evictor; absent or null: none, and the aggregate is incremental. */
  readonly evictor?: WindowEvictorSpec | null;
  /**
   * DataStream API only: a user AggregateFunction that replaces `aggregate` (its state must
   * be JSON, as every state is).
   */
  readonly aggregateFunction?: WindowAggregate;
  /**
   * DataStream API only: Flink's ProcessWindowFunction, called when a window fires with the
   * key, the window, the aggregate's result and the firing's context; each value it returns
   * is emitted with the timestamp `end - 1`. Without it the operator emits `{key, window, value}`.
   */
  readonly windowFunction?: (key: JsonValue, window: TimeWindow, result: JsonValue, context: ProcessWindowContext) => JsonValue[];
}

/**
 * Makes one window operator instance (one per subtask).
 * @example
 * const factory: OperatorFactory = { kind: 'operator', create: () => createWindowOperator(config) };
 */
export function createWindowOperator(config: WindowOperatorConfig): WindowOperator {
  return new WindowOperator(config);
}

/**
 * Flink's WindowOperator over time windows with an incremental aggregate. Runs on a keyed
 * stream (its context has `keyed`).
 * @example
 * const op = new WindowOperator({ assigner: { type: 'session', gapMs: 30000, time: 'event' }, trigger: null,
 *   aggregate: { kind: 'count' }, allowedLatenessMs: 0, lateOutputTag: null });
 */
export class WindowOperator implements StreamOperator {
  readonly config: WindowOperatorConfig;
  readonly #assigner: WindowAssigner;
  readonly #trigger: Trigger;
  /** What the window's state holds and folds each element into: the aggregate, or with an evictor the element list. */
  readonly #aggregate: WindowAggregate;
  readonly #evictor: Evictor | null;
  /** With an evictor: the aggregate computed over what it leaves. */
  readonly #evictedAggregate: WindowAggregate | null;
  readonly #lateness: number;
  readonly #cleanupIsTriggerTimer: boolean;
  /**
   * Flink's EventTimeTrigger on windows that never merge: the (key, window)'s timer is
   * registered with its first element and stays until the window fires, so a later element
   * before the end needs neither the trigger nor the cleanup timer; and when the window goes,
   * its trigger timer has already fired, so there is nothing of the trigger's to clear.
   */
  readonly #eventTimeTriggerOnly: boolean;
  /**
   * With #eventTimeTriggerOnly and no evictor, a (key, window)'s timers are registered
   * exactly while it has contents: its first element registers them, and they fire when
   * the contents are emitted and cleared. So a first element registers them as new, and
   * the timer service appends the key to its window's keys without looking at the others.
   * An evictor can empty the contents while the cleanup timer waits, and an aggregate whose
   * add gives undefined keeps no contents to tell: then (for good) the timers are checked.
   */
  #timersFollowContents: boolean;
  #ctx!: OperatorContext;
  #out!: Output;
  #keyed!: KeyedContext;
  #backend!: KeyedStateBackend;
  #timers!: InternalTimerService;
  #traceFirings = false;
  /** Whether the trace keeps window.created, window.merged and window.purged (level full, all three). */
  #traceLifecycle = false;
  /** The window the trigger context is scoped to (with the backend's current key). */
  #window: TimeWindow = { start: 0, end: 1 };
  readonly #triggerContext: TriggerContext;
  /** With a window function: its context, one object reused for every firing. */
  readonly #processContext: ProcessWindowContext | null;
  /** The window being handed to the window function, and its result's timestamp; null outside that call. */
  #firingWindow: TimeWindow | null = null;
  #firingTimestamp = 0;
  /** Sliding windows only: the windows this subtask attempt has put records in (window-assignments.ts). */
  #assignments = 0;

  constructor(config: WindowOperatorConfig) {
    assert(Number.isSafeInteger(config.allowedLatenessMs) && config.allowedLatenessMs >= 0, `allowed lateness must be >= 0, found ${config.allowedLatenessMs}`);
    this.config = config;
    this.#assigner = assignerOf(config.assigner, this.#assignerEnv());
    assert(!this.#assigner.isMerging || config.trigger === null || canMerge(config.trigger), () => `a ${config.trigger?.type} trigger cannot be used with merging (session) windows, as in Flink`);
    this.#trigger = config.trigger === null ? this.#assigner.defaultTrigger() : triggerOf(config.trigger);
    const aggregate = config.aggregateFunction ?? aggregateOf(config.aggregate);
    this.#evictor = config.evictor == null ? null : evictorOf(config.evictor);
    this.#aggregate = this.#evictor === null ? aggregate : evictingContents();
    this.#evictedAggregate = this.#evictor === null ? null : aggregate;
    this.#lateness = config.allowedLatenessMs;
    this.#eventTimeTriggerOnly =
      this.#assigner.isEventTime && !this.#assigner.isMerging && (config.trigger === null || config.trigger.type === 'event-time');
    this.#cleanupIsTriggerTimer = this.#assigner.isEventTime && config.allowedLatenessMs === 0 && (config.trigger === null || this.#eventTimeTriggerOnly);
    this.#timersFollowContents = this.#eventTimeTriggerOnly && this.#evictor === null;
    this.#triggerContext = this.#makeTriggerContext();
    this.#processContext = config.windowFunction === undefined ? null : WindowOperator.#processContextOf(this);
  }

  open(ctx: OperatorContext, output: Output): void {
    assert(ctx.keyed !== null, `window operator '${ctx.operatorId}' needs a keyed stream (a keyBy before it)`);
    this.#ctx = ctx;
    this.#out = output;
    this.#keyed = ctx.keyed;
    this.#backend = ctx.keyed.backend;
    this.#timers = ctx.keyed.timers;
    this.#traceFirings = ctx.trace.records('window.fired');
    this.#traceLifecycle = ctx.trace.records('window.created');
    // A window's timers (its end, its cleanup time) are told by window.created, window.fired
    // and window.purged; tracing them too would double a windowed run's full trace.
    this.#timers.observe(null);
    // Timers restored with the state need their wake-up call again.
    const next = this.#timers.nextProcessingTime();
    if (next !== null) ctx.registerProcessingTimeCallback(next + 1);
  }

  processElement(record: StreamRecord): void {
    const backend = this.#backend;
    backend.setCurrentKey(this.#keyed.selectKey(record));
    const timestamp = record.timestamp;
    if (this.#assigner.isEventTime && timestamp === null) {
      throw new UserFunctionError(
        this.#ctx.operatorId,
        new Error(`an event-time window (${describeAssigner(this.#assigner.spec)}) got a record without a timestamp: give the source a watermark strategy and a timestamp, or use "time": "processing"`),
      );
    }
    if (timestamp === null && this.#trigger.needsTimestamps === true) {
      // Flink aligns the first firing to the element's timestamp; without one (Long.MIN_VALUE there) it would schedule firings from the beginning of time.
      throw new UserFunctionError(
        this.#ctx.operatorId,
        new Error(`a ${this.#trigger.description} trigger got a record without a timestamp: give the source a timestamp (and a watermark strategy), or use a continuous-processing-time trigger`),
      );
    }
    if (timestamp !== null && !isTimeInRange(timestamp)) {
      throw new UserFunctionError(this.#ctx.operatorId, new RangeError(`a record's timestamp must be a whole number of ms ${TIME_RANGE_TEXT}, found ${timestamp}`));
    }
    const windows = this.#assigner.assignWindows(timestamp ?? 0, this.#ctx.nowMs(), record.value);
    const spec = this.config.assigner;
    if (spec.type === 'sliding' && (this.#assignments += windows.length) > MAX_WINDOW_ASSIGNMENTS) throw windowAssignmentsExceeded(this.#ctx.operatorId, this.#ctx.task, spec.sizeMs, spec.slideMs);
    let skipped = true;
    if (this.#assigner.isMerging) {
      const set = new MergingWindowSet(backend, this.#assigner);
      for (const window of windows) {
        const actual = set.addWindow(window, (result, merged, resultState, mergedState) => this.#merge(result, merged, resultState, mergedState));
        if (this.#isWindowLate(actual)) {
          set.retireWindow(actual);
          continue;
        }
        skipped = false;
        const stateWindow = set.stateWindowOf(actual);
        assert(stateWindow !== null, () => `window [${actual.start}, ${actual.end}) has no state window`);
        this.#addAndTrigger(actual, stateWindow, record);
      }
      set.persist();
    } else {
      for (const window of windows) {
        if (this.#isWindowLate(window)) continue;
        skipped = false;
        this.#addAndTrigger(window, window, record);
      }
    }
    if (skipped && this.#isElementLate(timestamp)) this.#onLateElement(record);
  }

  processWatermark(watermark: number): void {
    try {
      if (this.#eventTimeTriggerOnly) this.#timers.advanceWatermarkByRuns(watermark, (timestamp, namespace, keys, _keyIds, from, to, stretch) => this.#fireWindow(timestamp, namespace, keys, from, to, stretch));
      else this.#timers.advanceWatermarkWith(watermark, (timestamp, key, _keyId, namespace) => this.#onTimer(timestamp, key, namespace, true));
    } catch (e) {
      // The trigger's own timers kept coming due at this watermark: the job's configuration, not Weir, fails.
      if (!(e instanceof TimerLoopError)) throw e;
      throw new UserFunctionError(this.#ctx.operatorId, new Error(`the ${this.#trigger.description} trigger registered more than ${MAX_TIMERS_REGISTERED_WHILE_FIRING} timers due at watermark ${watermark}: a continuous trigger with a short interval on a very long window (or the global window, whose end never comes)`));
    }
    this.#out.emitWatermark(watermark);
  }

  onProcessingTime(nowMs: number): void {
    // Timers for t fire once the clock is past t (see the opening comment).
    this.#timers.onProcessingTimeWith(nowMs - 1, (timestamp, key, _keyId, namespace) => this.#onTimer(timestamp, key, namespace, false));
    const next = this.#timers.nextProcessingTime();
    if (next !== null) this.#ctx.registerProcessingTimeCallback(next + 1);
  }

  endInput(): void {}

  // -------------------------------------------------------------------------------------

  #addAndTrigger(window: TimeWindow, stateWindow: TimeWindow, record: StreamRecord): void {
    const backend = this.#backend;
    backend.setCurrentNamespace(windowNamespace(stateWindow));
    const before = backend.get(WINDOW_CONTENTS_STATE);
    if (before === undefined && this.#traceLifecycle) this.#traceWindow('window.created', window, false);
    const after = this.#aggregate.add(before, record.value, record.timestamp);
    // An accumulator updated in place is already there (the read marked its key group dirty).
    if (after !== before) backend.put(WINDOW_CONTENTS_STATE, after);
    if (after === undefined) this.#timersFollowContents = false;
    const first = before === undefined;
    if (this.#eventTimeTriggerOnly && window.end - 1 > this.#timers.currentWatermark) {
      // What EventTimeTrigger.onElement does before the end (CONTINUE, a timer at the max
      // timestamp), without the trigger context: the first element registers the timer.
      if (first) {
        this.#registerEventTimer(window, window.end - 1, true);
        this.#registerCleanupTimer(window, true);
      }
      return;
    }
    this.#window = window;
    const result = this.#trigger.onElement(record.timestamp, window, this.#triggerContext, record.value);
    if (isFire(result)) this.#emit(window, stateWindow);
    if (isPurge(result)) this.#clearContents(stateWindow, window, false);
    this.#registerCleanupTimer(window, first);
  }

  /**
   * The timers of `keys[from..to)` at `timestamp` in one window, with #eventTimeTriggerOnly:
   * what EventTimeTrigger.onEventTime and the cleanup timer do for each key, in the timers'
   * order, with what is the window's worked out once. These timers neither register nor
   * delete timers of this operator (a window function has no timer service), as
   * advanceWatermarkByRuns requires; `stretch` follows the keys, so that a firing that throws
   * leaves the timers after it registered.
   */
  #fireWindow(timestamp: number, namespace: string, keys: readonly JsonValue[], from: number, to: number, stretch: TimerStretch): void {
    const window = windowOfNamespace(namespace);
    const fires = timestamp === window.end - 1;
    const cleans = timestamp === this.#cleanupTime(window);
    const backend = this.#backend;
    if (!fires || !cleans || this.#evictor !== null) {
      for (let i = from; i < to; i++) {
        stretch.next = i + 1;
        backend.setCurrentKey(keys[i]!);
        if (fires) this.#emit(window, window);
        if (cleans) this.#clearContents(window, window, true);
      }
      return;
    }
    // The window's end is its cleanup time (no lateness): each key's contents are emitted
    // and go. They go after the loop, all at once when these keys are all the window holds;
    // nothing reads a window's contents between its firings (a window function has state
    // of its own). A firing that throws leaves its key's contents and those after it, as
    // firing timer by timer would.
    let i = from;
    let present = 0;
    try {
      for (; i < to; i++) {
        stretch.next = i + 1;
        backend.setCurrentKey(keys[i]!);
        if (this.#emit(window, window)) {
          present++;
          if (this.#traceLifecycle) this.#traceWindow('window.purged', window, true);
        }
        if (this.#processContext !== null) {
          backend.setCurrentNamespace(namespace);
          backend.remove(WINDOW_FUNCTION_WINDOW_STATE);
        }
      }
    } finally {
      this.#removeContents(namespace, keys, from, i, present);
    }
  }

  /** Removes the contents of `keys[from..to)` in `namespace`, `present` of which have some. */
  #removeContents(namespace: string, keys: readonly JsonValue[], from: number, to: number, present: number): void {
    const backend = this.#backend;
    if (backend.removeNamespaceOf(WINDOW_CONTENTS_STATE, namespace, present)) return;
    for (let i = from; i < to; i++) {
      backend.setCurrentKey(keys[i]!);
      backend.setCurrentNamespace(namespace);
      backend.remove(WINDOW_CONTENTS_STATE);
    }
  }

  #onTimer(timestamp: number, key: JsonValue, namespace: string, eventTime: boolean): void {
    this.#backend.setCurrentKey(key);
    const window = windowOfNamespace(namespace);
    if (this.#eventTimeTriggerOnly) {
      // EventTimeTrigger.onEventTime fires at the max timestamp; the cleanup time clears.
      if (timestamp === window.end - 1) this.#emit(window, window);
      if (timestamp === this.#cleanupTime(window)) this.#clearContents(window, window, true);
      return;
    }
    let set: MergingWindowSet | null = null;
    let stateWindow = window;
    if (this.#assigner.isMerging) {
      set = new MergingWindowSet(this.#backend, this.#assigner);
      const found = set.stateWindowOf(window);
      // A timer of a window that has since merged into another: nothing to do.
      if (found === null) return;
      stateWindow = found;
    }
    this.#window = window;
    const ctx = this.#triggerContext;
    const result = eventTime ? this.#trigger.onEventTime(timestamp, window, ctx) : this.#trigger.onProcessingTime(timestamp, window, ctx);
    if (isFire(result)) this.#emit(window, stateWindow);
    if (isPurge(result)) this.#clearContents(stateWindow, window, false);
    if (eventTime === this.#assigner.isEventTime && timestamp === this.#cleanupTime(window)) this.#clearAllState(window, stateWindow, set);
    set?.persist();
  }

  /** Emits the window's result for the current key; false when it has no contents (and nothing happens). */
  #emit(window: TimeWindow, stateWindow: TimeWindow): boolean {
    const backend = this.#backend;
    backend.setCurrentNamespace(windowNamespace(stateWindow));
    const acc = backend.get(WINDOW_CONTENTS_STATE);
    if (acc === undefined) return false;
    const key = backend.currentKey;
    const result = this.#evictor === null ? this.#aggregate.result(acc) : this.#evictAndAggregate(acc as TimestampedValue[], this.#evictor);
    const ctx = this.#ctx;
    if (this.#traceFirings) ctx.trace.emit({ tag: 'window.fired', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, key, start: window.start, end: window.end });
    if (result === undefined) return true;
    const timestamp = maxTimestamp(window);
    const windowFunction = this.config.windowFunction;
    if (windowFunction === undefined) {
      this.#out.collect({ value: { key, window: windowJson(window), value: result }, timestamp });
      return true;
    }
    let values: JsonValue[];
    const namespace = backend.currentNamespace;
    this.#firingWindow = window;
    this.#firingTimestamp = timestamp;
    try {
      values = windowFunction(key, window, result, this.#processContext!);
    } catch (e) {
      throw new UserFunctionError(ctx.operatorId, e);
    } finally {
      this.#firingWindow = null;
      // The function's state reads and writes move the namespace; what follows expects the window's.
      backend.setCurrentNamespace(namespace);
    }
    // An index, not for-of: a window function may hand back one list it refills per firing (window-config.ts), read here before the next firing.
    for (let i = 0; i < values.length; i++) this.#out.collect({ value: values[i]!, timestamp });
    return true;
  }

  /**
   * EvictingWindowOperator.emitWindowContents, with the current namespace at the window's
   * contents: evictBefore, the aggregate over what is left, then evictAfter, and the elements
   * that remain are written back (Flink rewrites the list state the same way).
   */
  #evictAndAggregate(elements: TimestampedValue[], evictor: Evictor): JsonValue | undefined {
    const before = evictor.evictBefore(elements);
    const result = aggregateElements(this.#evictedAggregate!, before);
    const kept = evictor.evictAfter(before);
    if (kept !== elements) {
      if (kept.length === 0) this.#backend.remove(WINDOW_CONTENTS_STATE);
      else this.#backend.put(WINDOW_CONTENTS_STATE, kept);
    }
    return result;
  }

  /** Removes a window's contents; `cleanup`: for good, at its cleanup time, rather than by a purging trigger. */
  #clearContents(stateWindow: TimeWindow, window: TimeWindow, cleanup: boolean): void {
    const backend = this.#backend;
    backend.setCurrentNamespace(windowNamespace(stateWindow));
    if (this.#traceLifecycle && backend.get(WINDOW_CONTENTS_STATE) !== undefined) this.#traceWindow('window.purged', window, cleanup);
    backend.remove(WINDOW_CONTENTS_STATE);
    // A purging trigger clears the contents only; the window function's per-window state goes with the window (Flink's ProcessWindowFunction.clear).
    if (cleanup && this.#processContext !== null) {
      backend.setCurrentNamespace(windowNamespace(window));
      backend.remove(WINDOW_FUNCTION_WINDOW_STATE);
    }
  }

  #traceWindow(tag: 'window.created' | 'window.purged', window: TimeWindow, cleanup: boolean): void {
    const ctx = this.#ctx;
    const timeMs = ctx.nowMs();
    const key = this.#backend.currentKey;
    // Two literals rather than a spread of shared fields: at level full this runs for every window twice, and a spread copies field by field.
    if (tag === 'window.created') ctx.trace.emit({ tag, timeMs, task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, key, start: window.start, end: window.end });
    else ctx.trace.emit({ tag, timeMs, task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, key, start: window.start, end: window.end, cleanup });
  }

  #clearAllState(window: TimeWindow, stateWindow: TimeWindow, set: MergingWindowSet | null): void {
    this.#clearContents(stateWindow, window, true);
    if (this.#eventTimeTriggerOnly) return;
    this.#window = window;
    this.#trigger.clear(window, this.#triggerContext);
    set?.retireWindow(window);
  }

  /** Windows `merged` became `result`: move trigger state and timers, fold the contents. */
  #merge(result: TimeWindow, merged: readonly TimeWindow[], resultStateWindow: TimeWindow, mergedStateWindows: readonly TimeWindow[]): void {
    const late = this.#assigner.isEventTime ? this.#cleanupTime(result) <= this.#timers.currentWatermark : maxTimestamp(result) <= this.#ctx.nowMs();
    assert(!late, `merging into window [${result.start}, ${result.end}) would move its end before the current time`);
    if (this.#traceLifecycle) {
      const op = this.#ctx;
      const windows = merged.map((w) => ({ start: w.start, end: w.end }));
      op.trace.emit({ tag: 'window.merged', timeMs: op.nowMs(), task: op.task, attempt: op.attempt, operator: op.operatorId, key: this.#backend.currentKey, start: result.start, end: result.end, merged: windows });
    }
    const ctx = this.#triggerContext;
    this.#window = result;
    this.#trigger.onMerge(result, merged, ctx);
    for (const window of merged) {
      this.#window = window;
      this.#trigger.clear(window, ctx);
      this.#deleteCleanupTimer(window);
    }
    const backend = this.#backend;
    backend.setCurrentNamespace(windowNamespace(resultStateWindow));
    let target = backend.get(WINDOW_CONTENTS_STATE);
    for (const source of mergedStateWindows) {
      backend.setCurrentNamespace(windowNamespace(source));
      const acc = backend.get(WINDOW_CONTENTS_STATE);
      if (acc === undefined) continue;
      backend.remove(WINDOW_CONTENTS_STATE);
      target = target === undefined ? acc : this.#aggregate.merge(target, acc);
    }
    if (target !== undefined) {
      backend.setCurrentNamespace(windowNamespace(resultStateWindow));
      backend.put(WINDOW_CONTENTS_STATE, target);
    }
  }

  /** Flink's cleanupTime: when a window's state goes, max timestamp + allowed lateness in event time. */
  #cleanupTime(window: TimeWindow): number {
    if (!this.#assigner.isEventTime) return maxTimestamp(window);
    const t = maxTimestamp(window) + this.#lateness;
    return t >= MAX_WATERMARK ? MAX_WATERMARK : t;
  }

  #isWindowLate(window: TimeWindow): boolean {
    return this.#assigner.isEventTime && this.#cleanupTime(window) <= this.#timers.currentWatermark;
  }

  #isElementLate(timestamp: number | null): boolean {
    return this.#assigner.isEventTime && timestamp !== null && timestamp + this.#lateness <= this.#timers.currentWatermark;
  }

  #onLateElement(record: StreamRecord): void {
    const tag = this.config.lateOutputTag;
    const ctx = this.#ctx;
    ctx.trace.emit({
      tag: 'record.late',
      timeMs: ctx.nowMs(),
      task: ctx.task,
      attempt: ctx.attempt,
      operator: ctx.operatorId,
      value: record.value,
      timestamp: record.timestamp,
      watermark: this.#timers.currentWatermark,
      sideOutput: tag,
    });
    if (tag !== null) {
      this.#ctx.world.writeSideOutput(tag, { value: record.value, timestamp: record.timestamp });
      this.#ctx.metrics.lateRecordsToSideOutput++;
    } else this.#ctx.metrics.lateRecordsDropped++;
  }

  /** `first`: the (key, window) had no contents before this element (see #timersFollowContents). */
  #registerCleanupTimer(window: TimeWindow, first: boolean): void {
    // With the event-time trigger (the default, or named on windows that never merge) and
    // no lateness, the cleanup timer is the trigger's own timer (same key, window and time),
    // which is already registered: registering it again would be deduplicated anyway (and
    // a first element's registration is not checked: see #timersFollowContents).
    if (this.#cleanupIsTriggerTimer) return;
    const time = this.#cleanupTime(window);
    // A window that ends with time itself is never cleaned, as in Flink.
    if (time === MAX_WATERMARK) return;
    if (this.#assigner.isEventTime) this.#registerEventTimer(window, time, first);
    else this.#registerProcessingTimer(window, time);
  }

  #deleteCleanupTimer(window: TimeWindow): void {
    const time = this.#cleanupTime(window);
    if (time === MAX_WATERMARK) return;
    if (this.#assigner.isEventTime) this.#timers.deleteEventTimeTimer(this.#timer(window, time));
    else this.#timers.deleteProcessingTimeTimer(this.#timer(window, time));
  }

  #timer(window: TimeWindow, time: number): Timer {
    const backend = this.#backend;
    return { timestamp: time, key: backend.currentKey, keyId: backend.currentKeyId, namespace: windowNamespace(window) };
  }

  /** `first`: registered with the (key, window)'s first element (see #timersFollowContents). */
  #registerEventTimer(window: TimeWindow, time: number, first: boolean): void {
    const backend = this.#backend;
    const namespace = windowNamespace(window);
    if (first && this.#timersFollowContents) {
      this.#timers.registerNewEventTimeTimerAt(time, backend.currentKey, backend.currentKeyId, namespace);
      return;
    }
    // Most elements of a window find its timer already there: check before registering.
    if (this.#timers.hasEventTimeTimer(time, backend.currentKeyId, namespace)) return;
    this.#timers.registerEventTimeTimerAt(time, backend.currentKey, backend.currentKeyId, namespace);
  }

  #registerProcessingTimer(window: TimeWindow, time: number): void {
    const backend = this.#backend;
    if (this.#timers.registerProcessingTimeTimerAt(time, backend.currentKey, backend.currentKeyId, windowNamespace(window))) this.#ctx.registerProcessingTimeCallback(time + 1);
  }

  #assignerEnv(): AssignerEnv {
    return {
      random: () => this.#ctx.random('window-stagger'),
      fail: (error) => {
        throw new UserFunctionError(this.#ctx.operatorId, error);
      },
    };
  }

  #makeTriggerContext(): TriggerContext {
    return WindowOperator.#triggerContextOf(this);
  }

  /** Methods reaching the operator through a parameter, not arrow properties: under tsx's keepNames each of those costs a defineProperty, once per operator deployed. */
  static #triggerContextOf(op: WindowOperator): TriggerContext {
    // Trigger state lives under the window itself (not its state window), as in Flink.
    const at = (window: TimeWindow): KeyedStateBackend => {
      op.#backend.setCurrentNamespace(windowNamespace(window));
      return op.#backend;
    };
    return {
      currentWatermark() {
        return op.#timers.currentWatermark;
      },
      currentProcessingTime() {
        return op.#ctx.nowMs();
      },
      registerEventTimeTimer(time) {
        op.#registerEventTimer(op.#window, time, false);
      },
      deleteEventTimeTimer(time) {
        op.#timers.deleteEventTimeTimer(op.#timer(op.#window, time));
      },
      registerProcessingTimeTimer(time) {
        op.#registerProcessingTimer(op.#window, time);
      },
      deleteProcessingTimeTimer(time) {
        op.#timers.deleteProcessingTimeTimer(op.#timer(op.#window, time));
      },
      getState(name) {
        return at(op.#window).get(name);
      },
      putState(name, value) {
        at(op.#window).put(name, value);
      },
      clearState(name) {
        at(op.#window).remove(name);
      },
      mergeState(name, sources, merge) {
        let acc = at(op.#window).get(name);
        for (const source of sources) {
          const v = at(source).get(name);
          if (v !== undefined) acc = acc === undefined ? v : merge(acc, v);
        }
        if (acc !== undefined) at(op.#window).put(name, acc);
      },
    };
  }

  static #processContextOf(op: WindowOperator): ProcessWindowContext {
    const firing = (): TimeWindow => {
      const window = op.#firingWindow;
      if (window === null) throw new Error("a ProcessWindowFunction's context (and its state) can be used only while the function runs");
      return window;
    };
    const windowState = keyedStateStore(() => op.#backend, WINDOW_FUNCTION_WINDOW_STATE, () => {
      if (op.#assigner.isMerging) throw new Error('per-window state is not allowed when using merging (session) windows, as in Flink');
      return windowNamespace(firing());
    });
    const globalState = keyedStateStore(() => op.#backend, WINDOW_FUNCTION_GLOBAL_STATE, () => {
      firing();
      return DEFAULT_NAMESPACE;
    });
    return {
      get window() {
        return firing();
      },
      currentProcessingTime() {
        firing();
        return op.#ctx.nowMs();
      },
      currentWatermark() {
        firing();
        return op.#timers.currentWatermark;
      },
      output(tag, value) {
        firing();
        writeUserSideOutput(op.#ctx, tag, value, op.#firingTimestamp);
      },
      windowState() {
        return windowState;
      },
      globalState() {
        return globalState;
      },
    };
  }

}

/**
 * A store of value states kept as one JSON object of name -> value per key in the namespace
 * `namespace()` gives (which also checks that the call is allowed). Every access sets the
 * namespace itself: a function may hold a window state and a global state handle at once.
 */
function keyedStateStore(backend: () => KeyedStateBackend, stateName: string, namespace: () => string): KeyedStateStore {
  const values = (create: boolean): Record<string, JsonValue> | undefined => {
    const ns = namespace();
    const b = backend();
    b.setCurrentNamespace(ns);
    let m = b.get(stateName) as Record<string, JsonValue> | undefined;
    if (m === undefined && create) b.put(stateName, (m = {}));
    return m;
  };
  const handles = new Map<string, WindowValueState>();
  const handle = (name: string): WindowValueState => ({
    value() {
      const m = values(false);
      return m !== undefined && Object.hasOwn(m, name) ? m[name]! : null;
    },
    update(value) {
      if (value === undefined) throw new TypeError(`state '${name}': a state value is JSON (undefined is not); clear() removes it`);
      // In place: the read marked the key group dirty, so the next snapshot copies it. A '__proto__' name stays an own property.
      Object.defineProperty(values(true)!, name, { value, enumerable: true, writable: true, configurable: true });
    },
    clear() {
      const m = values(false);
      if (m === undefined || !Object.hasOwn(m, name)) return;
      delete m[name];
      if (Object.keys(m).length === 0) backend().remove(stateName);
    },
  });
  return {
    getState(name) {
      if (typeof name !== 'string' || name === '') throw new TypeError(`a state's name is a non-empty string, found ${String(name)}`);
      namespace();
      let h = handles.get(name);
      if (h === undefined) handles.set(name, (h = handle(name)));
      return h;
    },
  };
}
